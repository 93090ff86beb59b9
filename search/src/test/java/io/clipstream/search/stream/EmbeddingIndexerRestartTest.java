package io.clipstream.search.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.search.runtime.SearchMetrics;
import io.clipstream.search.index.VectorIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexer against the real in-process broker and real Lucene: what it commits is exactly what it read, so a
 * restart neither indexes anything twice nor loses a vector; a record it cannot index ends in embeddings.rejected.
 */
class EmbeddingIndexerRestartTest {

    @TempDir
    Path folder;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String version = "restart-" + run;
    private final String group = "search-test-" + run;
    private final Random random = new Random(11);

    private EmbeddingIndexer indexer(VectorIndex index) {
        Map<String, Object> kafka = KafkaClientSettings.plaintext(EmbeddedKafka.shared().bootstrapServers())
                .clientConfig();
        return new EmbeddingIndexer(new EmbeddingIndexer.Settings(group, kafka, GroupMembership.DYNAMIC,
                Duration.ofMillis(100), 1000, Duration.ofMillis(50), Duration.ofDays(30)), index,
                new SearchMetrics(new SimpleMeterRegistry()), Optional::empty, Clock.systemUTC());
    }

    private byte[] embedding(String id) {
        List<Float> vector = new ArrayList<>();
        double norm = 0;
        float[] raw = new float[16];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) random.nextGaussian();
            norm += raw[i] * raw[i];
        }
        for (float v : raw) {
            vector.add((float) (v / Math.sqrt(norm)));
        }
        return ClipSerdes.imageEmbedding().encode(ImageEmbedding.newBuilder().setImageId(id).setVector(vector)
                .setModelVersion(version).setEventTime(Instant.now()).setEmbeddedTime(Instant.now())
                .setAttributes(Map.of("run", run)).build());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static long documents(VectorIndex index, String version) {
        try {
            VectorIndex.VersionStats stats = index.versions().get(version);
            return stats == null ? 0 : stats.documents();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRestartResumesAtTheCommittedPositionsWithoutReindexingOrLosingVectors() throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < 50; i++) {
                kafka.send(Topics.EMBEDDINGS, run + "-" + i, embedding(run + "-" + i));
            }
            long firstRunIndexed;
            try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
                EmbeddingIndexer indexer = indexer(index);
                indexer.start();
                await(() -> documents(index, version) == 50, "the first 50 embeddings");
                indexer.close();
                firstRunIndexed = indexer.status().indexed();
                assertEquals("STOPPED", indexer.status().state());
            }
            assertTrue(firstRunIndexed >= 50, "the first run read the topic from its beginning");

            // While search is down: more embeddings, and one that is not an embedding at all.
            for (int i = 50; i < 80; i++) {
                kafka.send(Topics.EMBEDDINGS, run + "-" + i, embedding(run + "-" + i));
            }
            String poison = run + "-poison";
            kafka.send(Topics.EMBEDDINGS, poison, "not avro".getBytes(StandardCharsets.UTF_8));

            try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
                assertEquals(50, documents(index, version), "everything read before the stop was committed");
                EmbeddingIndexer indexer = indexer(index);
                indexer.start();
                await(() -> documents(index, version) == 80 && indexer.status().rejected() == 1,
                        "the 30 embeddings sent while search was down, and the rejection");
                Thread.sleep(300); // a few more polls and commits: nothing else may come
                indexer.close();
                assertEquals(30, indexer.status().indexed(), "only what came after the committed positions is read");
                assertEquals(1, indexer.status().rejected());
                assertEquals(80, documents(index, version));
            }

            List<ConsumerRecord<String, Rejected>> rejected = kafka.readUntil(Topics.EMBEDDINGS_REJECTED,
                    ClipSerdes.rejected(), r -> r.stream().anyMatch(x -> poison.equals(x.key())),
                    Duration.ofSeconds(30));
            Rejected rejection = rejected.stream().filter(r -> poison.equals(r.key())).findFirst().orElseThrow().value();
            assertEquals(ServiceAccess.SEARCH, rejection.getService());
            assertTrue(rejection.getReason() == RejectReason.UNDECODABLE_RECORD
                    || rejection.getReason() == RejectReason.UNKNOWN_SCHEMA, rejection.getReason().toString());
            assertEquals(Topics.EMBEDDINGS, rejection.getSourceTopic());
        }
    }
}
