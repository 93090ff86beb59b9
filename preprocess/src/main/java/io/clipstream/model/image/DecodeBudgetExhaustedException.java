package io.clipstream.model.image;

import java.time.Duration;

/**
 * No decode budget could be had in time: too many large images are being decoded at once. Not the image's fault;
 * the same request can succeed a moment later (HTTP answers 503 with Retry-After).
 */
public final class DecodeBudgetExhaustedException extends RuntimeException {

    private final Duration waited;

    public DecodeBudgetExhaustedException(long cost, long capacity, Duration waited) {
        super("busy decoding other images: this one needs " + cost + " bytes of the decode budget of " + capacity
                + " and none came free within " + waited.toMillis() + " ms; retry later");
        this.waited = waited;
    }

    /** How long the request waited for budget. */
    public Duration waited() {
        return waited;
    }
}
