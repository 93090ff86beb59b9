package io.clipstream.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalLong;

/** What ingest may hold in heap for decoding ({@code clipstream.ingest.memory.*}). */
@ConfigMapping(prefix = "clipstream.ingest.memory")
public interface IngestMemoryConfig {

    /**
     * The most declared decode cost (from each image's header) decoded at once by the stream threads, in bytes.
     * Default: {@link #decodeBudgetHeapFraction()} of the heap.
     */
    OptionalLong decodeBudget();

    @WithDefault("0.5")
    double decodeBudgetHeapFraction();
}
