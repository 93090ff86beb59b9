package io.clipstream.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Ingest settings ({@code clipstream.ingest.*}); the image limits, shared with the embedder, are
 * {@link IngestImageLimits}.
 */
@ConfigMapping(prefix = "clipstream.ingest")
public interface IngestConfig {

    /** Side of the square training image, in pixels. */
    @WithDefault("224")
    int trainingSize();

    Caption caption();

    /** Exact duplicates of (image, caption) seen within this window are rejected as DUPLICATE (and counted). */
    @WithDefault("P7D")
    Duration dedupWindow();

    /** Whether JSON uploads may name an image by file: or http(s): URL instead of sending it. */
    @WithDefault("false")
    boolean allowImageUrls();

    interface Caption {
        /** Clean captions longer than this many code points are cut (and flagged). */
        @WithDefault("300")
        int truncateAt();

        /** Raw captions longer than this are rejected outright. */
        @WithDefault("10000")
        int rejectAbove();
    }
}
