package io.clipstream.classifier;

import io.clipstream.classifier.labelset.LabelSetLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Classifier settings ({@code clipstream.classifier.*}). */
@ConfigMapping(prefix = "clipstream.classifier")
public interface ClassifierConfig {

    /** The most labels one label set may have (a PUT with more is refused with 400). */
    @WithDefault("1000")
    int maxLabels();

    /**
     * The most templates of one label set, and the most own prompts of one label (CLIP's ImageNet ensemble has 80).
     */
    @WithDefault("" + LabelSetLimits.DEFAULT_MAX_TEMPLATES)
    int maxTemplates();

    /**
     * The most prompts of one label set, labels × templates (4 templates for the most labels): each is one pass
     * through the text encoder of every model version the set is used with. Measured (LabelEmbeddingsBench, 2 CPU
     * cores shared with other builds): ViT-B/32's text tower 240 ms a prompt, so 4,000 prompts take minutes; the tiny
     * test model 1 ms. The stream thread does not wait for them ({@link #labelEmbeddingWait()}); the images they
     * apply to do.
     */
    @WithDefault("" + LabelSetLimits.DEFAULT_MAX_PROMPTS)
    int maxPrompts();

    /** The most label sets; a PUT of a new one beyond it is refused, and sets beyond it on the topic are ignored. */
    @WithDefault("" + LabelSetLimits.DEFAULT_MAX_LABEL_SETS)
    int maxLabelSets();

    /** Text encoders of this many model versions stay loaded (least recently used goes first). */
    @WithDefault("3")
    int loadedVersions();

    /**
     * Label embeddings kept, one entry per (label set, revision, model version). Default: max-label-sets ×
     * loaded-versions, so that every set has its embeddings under every loaded version and none is re-encoded on
     * every batch.
     */
    Optional<Integer> labelEmbeddingCacheSize();

    /**
     * How long one batch waits for label embeddings that are being built (on a thread of their own, never on the
     * stream thread). Embeddings whose label embeddings are not ready by then stay in the buffer and are scored at a
     * later flush, so a big set never holds the stream thread past max.poll.interval.ms.
     */
    @WithDefault("PT5S")
    Duration labelEmbeddingWait();

    /**
     * A model version that could not be loaded is not tried again for this long: its embeddings are rejected at
     * once instead of re-reading (and re-hashing) a broken checkpoint for every record.
     */
    @WithDefault("PT30S")
    Duration unavailableVersionRetry();

    Batch batch();

    /** {@code POST /classify}: one uploaded image classified on request. */
    Classify classify();

    /**
     * How long the classifier remembers that an (image id, model version) was classified, and under which label sets:
     * an embedding of it again within this window (the embedder is at-least-once: after a crash it may embed an image
     * twice) gives no second classification for a label set it was classified under. After the window it is
     * classified again. Kept in a windowed state store per task (changelogged), so the memory is bounded by the
     * images of one window.
     */
    @WithDefault("PT1H")
    Duration dedupeWindow();

    /** How long a PUT or DELETE waits until the label-set store shows its result (then answers 202 instead). */
    @WithDefault("PT10S")
    Duration visibilityTimeout();

    /** Classifications queued per SSE subscriber; a subscriber that falls further behind is disconnected. */
    @WithDefault("1024")
    int subscriberBuffer();

    /** SSE subscribers in all; one more is answered 503. */
    @WithDefault("256")
    int maxSubscribers();

    /** SSE subscribers from one remote address; one more is answered 429. */
    @WithDefault("8")
    int maxSubscribersPerClient();

    /** The label-set caps as the domain classes take them. */
    static LabelSetLimits labelSetLimits(ClassifierConfig config) {
        return new LabelSetLimits(config.maxLabels(), config.maxTemplates(), config.maxPrompts(), config.maxLabelSets());
    }

    /** The label embedding cache's size: as configured, else one entry per label set and loaded version. */
    static int labelEmbeddingEntries(ClassifierConfig config) {
        return config.labelEmbeddingCacheSize().orElse(config.maxLabelSets() * config.loadedVersions());
    }

    interface Classify {
        /**
         * The most labels typed into one request (a stored label set has its own cap): each is encoded with the text
         * tower for that request alone, at about 240 ms a prompt for ViT-B/32 on 2 cores.
         */
        @WithDefault("100")
        int maxLabels();

        /** Decode and resize buffers that uploads being classified may hold at once (a bomb guard beside the pixel cap). */
        @WithDefault("268435456")
        long decodeBudget();

        /** How long an upload waits for its share of the decode budget before the answer is 503 (retry). */
        @WithDefault("PT5S")
        Duration decodeWait();
    }

    interface Batch {
        /** Embeddings scored together in one matrix product at most. */
        @WithDefault("256")
        int maxSize();

        /** Buffered embeddings are scored at least this often (wall-clock), however few they are. */
        @WithDefault("PT0.1S")
        Duration flushInterval();
    }
}
