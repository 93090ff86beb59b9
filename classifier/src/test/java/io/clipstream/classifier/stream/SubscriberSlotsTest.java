package io.clipstream.classifier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.classifier.api.ApiException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class SubscriberSlotsTest {

    @Test
    void capsSubscribersPerClientWith429AndInAllWith503AndFreesASlotOnce() {
        SubscriberSlots slots = new SubscriberSlots(3, 2);
        SubscriberSlots.Slot first = slots.acquire("10.0.0.1");
        slots.acquire("10.0.0.1");
        ApiException greedy = assertThrows(ApiException.class, () -> slots.acquire("10.0.0.1"));
        assertEquals(Response.Status.TOO_MANY_REQUESTS, greedy.status());
        assertTrue(greedy.getMessage().contains("max-subscribers-per-client"), greedy.getMessage());

        slots.acquire("10.0.0.2");
        ApiException full = assertThrows(ApiException.class, () -> slots.acquire("10.0.0.3"));
        assertEquals(Response.Status.SERVICE_UNAVAILABLE, full.status());
        assertTrue(full.getMessage().contains("clipstream.classifier.max-subscribers"), full.getMessage());

        first.release();
        first.release(); // a subscription ends once, however many callbacks say so
        assertEquals(2, slots.total());
        slots.acquire("10.0.0.3");
        assertThrows(ApiException.class, () -> slots.acquire("10.0.0.1"), "full again");
    }
}
