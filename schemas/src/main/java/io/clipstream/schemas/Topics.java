package io.clipstream.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalog of Clipstream's topics: names, partitions and configuration. Brokers, services, tests and the
 * Kubernetes manifests all take their topics from here.
 */
public final class Topics {

    public static final String PAIRS_RAW = "clipstream.pairs.raw";
    public static final String PAIRS_NORMALIZED = "clipstream.pairs.normalized";
    public static final String PAIRS_REJECTED = "clipstream.pairs.rejected";
    public static final String IMAGES = "clipstream.images";
    public static final String IMAGES_REJECTED = "clipstream.images.rejected";
    public static final String EMBEDDINGS = "clipstream.embeddings";
    public static final String EMBEDDINGS_REJECTED = "clipstream.embeddings.rejected";
    public static final String LABEL_SETS = "clipstream.label-sets";
    public static final String CLASSIFICATIONS = "clipstream.classifications";
    /**
     * The trainer's announcements, one per checkpoint it stored (compacted by version). No service consumes it to
     * serve: a person rolls a version out (the rollout manifest or file, {@code clipstream rollout}), after reading
     * the guardrail's verdict here; the CLI, the console and the demo read it to show and choose.
     */
    public static final String CHECKPOINTS = "clipstream.checkpoints";

    /** Encoded images travel in records; the broker default of 1 MiB is too small for photos. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final long WEEK_MS = Duration.ofDays(7).toMillis();
    private static final long MONTH_MS = Duration.ofDays(30).toMillis();

    /**
     * One topic.
     *
     * @param name       topic name
     * @param partitions partition count (the unit of consumer parallelism)
     * @param valueType  the Avro record in the value, or {@code null} where raw bytes are allowed too
     * @param configs    topic-level configuration
     */
    public record TopicSpec(String name, int partitions, Class<?> valueType, Map<String, String> configs) {
        public boolean compacted() {
            return "compact".equals(configs.get("cleanup.policy"));
        }
    }

    private static final List<TopicSpec> ALL = List.of(
            delete(PAIRS_RAW, 6, ImageTextPair.class, WEEK_MS, true),
            delete(PAIRS_NORMALIZED, 6, NormalizedPair.class, MONTH_MS, true),
            delete(PAIRS_REJECTED, 3, Rejected.class, MONTH_MS, true),
            delete(IMAGES, 6, null, WEEK_MS, true),
            delete(IMAGES_REJECTED, 3, Rejected.class, MONTH_MS, true),
            delete(EMBEDDINGS, 6, ImageEmbedding.class, WEEK_MS, false),
            delete(EMBEDDINGS_REJECTED, 3, Rejected.class, MONTH_MS, false),
            compacted(LABEL_SETS, 1, LabelSet.class),
            delete(CLASSIFICATIONS, 6, Classification.class, WEEK_MS, false),
            compacted(CHECKPOINTS, 1, Checkpoint.class));

    private Topics() {
    }

    /** Every topic of the platform. */
    public static List<TopicSpec> all() {
        return ALL;
    }

    public static Optional<TopicSpec> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static TopicSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("Not a Clipstream topic: " + name));
    }

    private static TopicSpec delete(String name, int partitions, Class<?> valueType, long retentionMs,
            boolean carriesImages) {
        return new TopicSpec(name, partitions, valueType, carriesImages
                ? Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retentionMs),
                        "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))
                : Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retentionMs)));
    }

    private static TopicSpec compacted(String name, int partitions, Class<?> valueType) {
        // Compacted topics hold the latest state per key; keep tombstones a day so consumers see deletes.
        return new TopicSpec(name, partitions, valueType, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
                "min.compaction.lag.ms", "0"));
    }
}
