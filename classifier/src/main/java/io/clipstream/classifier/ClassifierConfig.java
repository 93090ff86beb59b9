package io.clipstream.classifier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Classifier settings ({@code clipstream.classifier.*}). */
@ConfigMapping(prefix = "clipstream.classifier")
public interface ClassifierConfig {

    /** The most labels one label set may have (a PUT with more is refused with 400). */
    @WithDefault("1000")
    int maxLabels();

    /** Text encoders of this many model versions stay loaded (least recently used goes first). */
    @WithDefault("3")
    int loadedVersions();

    /** Label embeddings kept, one entry per (label set, revision, model version). */
    @WithDefault("32")
    int labelEmbeddingCacheSize();

    /**
     * A model version that could not be loaded is not tried again for this long: its embeddings are rejected at
     * once instead of re-reading (and re-hashing) a broken checkpoint for every record.
     */
    @WithDefault("PT30S")
    Duration unavailableVersionRetry();

    Batch batch();

    /** How long a PUT or DELETE waits until the label-set store shows its result (then answers 202 instead). */
    @WithDefault("PT10S")
    Duration visibilityTimeout();

    /** Classifications queued per SSE subscriber; a subscriber that falls further behind is disconnected. */
    @WithDefault("1024")
    int subscriberBuffer();

    interface Batch {
        /** Embeddings scored together in one matrix product at most. */
        @WithDefault("256")
        int maxSize();

        /** Buffered embeddings are scored at least this often (wall-clock), however few they are. */
        @WithDefault("PT0.1S")
        Duration flushInterval();
    }
}
