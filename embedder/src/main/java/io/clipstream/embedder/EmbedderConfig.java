package io.clipstream.embedder;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Embedder settings ({@code clipstream.embedder.*}); the checkpoint to serve is {@link ModelConfig}, the image limits
 * (shared with ingest) are {@link EmbedderImageLimits}.
 */
@ConfigMapping(prefix = "clipstream.embedder")
public interface EmbedderConfig {

    /** The consumer group of clipstream.images. KEDA's ScaledObject and the canary Deployment use this name. */
    @WithDefault("clipstream-embedder")
    String groupId();

    Batch batch();

    Http http();

    Decode decode();

    /** Decoding, resizing and cropping the stream's images, beside the model. */
    interface Decode {
        /**
         * Threads that decode the stream's images (default: one per core, {@code availableProcessors()}); 1 decodes
         * on the consumer thread. Each holds its image's decode cost from the decode budget while it decodes.
         */
        OptionalInt threads();

        default int effectiveThreads() {
            int threads = threads().orElse(Runtime.getRuntime().availableProcessors());
            if (threads < 1) {
                throw new IllegalArgumentException(
                        "clipstream.embedder.decode.threads must be at least 1, not " + threads);
            }
            return threads;
        }
    }

    /** Micro-batching of the stream: images of many records go through the model together. */
    interface Batch {
        /** Most images in one model call. */
        @WithDefault("32")
        int maxSize();

        /** Longest the first image of a batch waits for more before the batch runs anyway. */
        @WithDefault("10ms")
        Duration maxWait();

        /**
         * Decoded images waiting for the model (default: two batches); the consumer stops reading while it is
         * full. At least {@link #maxSize()}.
         */
        OptionalInt queueCapacity();

        default int effectiveQueueCapacity() {
            return queueCapacity().orElse(2 * maxSize());
        }
    }

    interface Http {
        /** Most images in one {@code POST /embed/images}. */
        @WithDefault("64")
        int maxImages();

        /** Most texts in one {@code POST /embed/texts}. */
        @WithDefault("256")
        int maxTexts();

        /** Longest text accepted, in characters (CLIP reads 77 tokens; longer texts are cut after tokenizing). */
        @WithDefault("10000")
        int maxTextLength();
    }
}
