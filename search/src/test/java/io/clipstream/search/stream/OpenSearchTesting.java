package io.clipstream.search.stream;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.search.runtime.SearchMetrics;
import io.clipstream.search.index.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the OpenSearch indexer tests share: the indexer on the real broker, embeddings, the group's offsets. */
final class OpenSearchTesting {

    private OpenSearchTesting() {
    }

    static Map<String, Object> kafka() {
        return KafkaClientSettings.plaintext(EmbeddedKafka.shared().bootstrapServers()).clientConfig();
    }

    static EmbeddingIndexer indexer(String group, VectorStore store) {
        return new EmbeddingIndexer(new EmbeddingIndexer.Settings(group, kafka(), GroupMembership.DYNAMIC,
                Duration.ofMillis(100), 1000, Duration.ofMillis(50), Duration.ofDays(30)), store,
                new SearchMetrics(new SimpleMeterRegistry()), Optional::empty, Clock.systemUTC());
    }

    static float[] unit(java.util.Random random, int dims) {
        float[] raw = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            raw[i] = (float) random.nextGaussian();
            norm += raw[i] * raw[i];
        }
        for (int i = 0; i < dims; i++) {
            raw[i] = (float) (raw[i] / Math.sqrt(norm));
        }
        return raw;
    }

    static byte[] embedding(String id, String version, float[] vector, Map<String, String> attributes) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return ClipSerdes.imageEmbedding().encode(ImageEmbedding.newBuilder().setImageId(id).setVector(values)
                .setModelVersion(version).setEventTime(Instant.now()).setEmbeddedTime(Instant.now())
                .setAttributes(attributes).build());
    }

    /** The group's committed offsets of clipstream.embeddings, by partition (none: not committed). */
    static Map<Integer, Long> committedOffsets(String group) throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> byPartition = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(Topics.EMBEDDINGS) && offset != null) {
                    byPartition.put(partition.partition(), offset.offset());
                }
            });
            return byPartition;
        }
    }

    /** The end offsets of clipstream.embeddings, by partition (non-empty partitions only). */
    static Map<Integer, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(kafka())) {
            int partitions = admin.describeTopics(List.of(Topics.EMBEDDINGS)).allTopicNames().get()
                    .get(Topics.EMBEDDINGS).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(Topics.EMBEDDINGS, p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> {
                if (info.offset() > 0) {
                    ends.put(partition.partition(), info.offset());
                }
            });
            return ends;
        }
    }

    static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** A condition that may throw (a cluster or broker asked), false while it does. */
    static BooleanSupplier quietly(Check check) {
        return () -> {
            try {
                return check.holds();
            } catch (Exception e) {
                return false;
            }
        };
    }
}
