package io.clipstream.classifier.stream;

import io.clipstream.classifier.api.ApiException;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps the live-feed subscribers, in all and per remote address: each subscriber holds a fan-out queue of up to
 * {@code subscriber-buffer} classifications and a connection, so an unbounded number is a way to exhaust memory.
 * One too many from an address is answered 429, one too many in all 503 (the service is full, not the client
 * greedy).
 */
final class SubscriberSlots {

    private final int maxTotal;
    private final int maxPerClient;
    private final Map<String, Integer> byClient = new HashMap<>();
    private int total;

    SubscriberSlots(int maxTotal, int maxPerClient) {
        if (maxTotal < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("max-subscribers and max-subscribers-per-client must be at least 1, were "
                    + maxTotal + " and " + maxPerClient);
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** A slot for {@code client}; release it exactly once when the subscription ends. */
    final class Slot {
        private final String client;
        private boolean released;

        private Slot(String client) {
            this.client = client;
        }

        void release() {
            synchronized (SubscriberSlots.this) {
                if (released) {
                    return;
                }
                released = true;
                total--;
                byClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    /** @throws ApiException 429 when {@code client} holds its share already, 503 when all slots are taken */
    synchronized Slot acquire(String client) {
        int mine = byClient.getOrDefault(client, 0);
        if (mine >= maxPerClient) {
            throw new ApiException(Response.Status.TOO_MANY_REQUESTS, "at most " + maxPerClient
                    + " live subscriptions per client (clipstream.classifier.max-subscribers-per-client); " + client
                    + " has " + mine + ": close one first");
        }
        if (total >= maxTotal) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "this classifier serves its most live "
                    + "subscriptions already (" + maxTotal + ", clipstream.classifier.max-subscribers); try again later "
                    + "or another replica");
        }
        byClient.put(client, mine + 1);
        total++;
        return new Slot(client);
    }

    synchronized int total() {
        return total;
    }
}
