package io.clipstream.embedder;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * What the embedder may hold in heap for images ({@code clipstream.embedder.memory.*}): the decode budget shared by
 * the stream and HTTP, and the byte bound of the micro-batching queue.
 */
@ConfigMapping(prefix = "clipstream.embedder.memory")
public interface MemoryConfig {

    /**
     * The most declared decode cost (width × height × bytes per pixel of the decoder's and the resize's buffers,
     * known from the header) in use at once, in bytes. Default: {@link #decodeBudgetHeapFraction()} of the heap.
     */
    OptionalLong decodeBudget();

    /** The share of the maximum heap the decode budget gets when {@link #decodeBudget()} is not set. */
    @WithDefault("0.5")
    double decodeBudgetHeapFraction();

    /** Longest an HTTP image waits for decode budget before the request is answered 503 (the stream always waits). */
    @WithDefault("2s")
    Duration decodeWait();

    /** What a 503 for want of decode budget tells the client to wait before retrying ({@code Retry-After}). */
    @WithDefault("1s")
    Duration retryAfter();

    /**
     * Most bytes queued for the model (prepared pixels, and the original bytes of records on their way to
     * clipstream.images.rejected); the consumer stops reading while a record would not fit. One record always fits.
     */
    @WithDefault("67108864")
    long queueMaxBytes();
}
