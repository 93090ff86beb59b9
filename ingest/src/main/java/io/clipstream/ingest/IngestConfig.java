package io.clipstream.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * Whether JSON uploads may name an image by file: or http(s): URL instead of sending it; when true,
     * {@code image-urls.allowed-prefixes} must say which URLs (start-up fails without it).
     */
    @WithDefault("false")
    boolean allowImageUrls();

    ImageUrlConfig imageUrls();

    Decode decode();

    /** Decoding, resizing and cropping the pairs' images. */
    interface Decode {
        /**
         * Kafka Streams threads, each decoding the pairs of its own partitions (pairs.raw has 6, so more than 6 per
         * replica idle): default one per core ({@link DecodeThreadsDefault}); {@code kafka-streams.num.stream.threads}
         * is this value. All of them share one decode budget.
         */
        int threads();
    }

    /** What an image URL may name and how it is read, when {@code allow-image-urls} is true. */
    interface ImageUrlConfig {
        /** URL prefixes an image URL must be under: {@code file:///dir/} (a directory) or {@code https://host[:port]/path/}. */
        Optional<List<String>> allowedPrefixes();

        /** Addresses or CIDR ranges an allowed host may resolve to although they are loopback, private, link-local... */
        Optional<List<String>> allowedNetworks();

        /** Redirects followed, each to the same host and checked again. */
        @WithDefault("3")
        int maxRedirects();

        @WithDefault("PT5S")
        Duration connectTimeout();

        /** The whole read of one image URL, redirects included. */
        @WithDefault("PT20S")
        Duration timeout();
    }

    interface Caption {
        /** Clean captions longer than this many code points are cut (and flagged). */
        @WithDefault("300")
        int truncateAt();

        /** Raw captions longer than this are rejected outright. */
        @WithDefault("10000")
        int rejectAbove();
    }
}
