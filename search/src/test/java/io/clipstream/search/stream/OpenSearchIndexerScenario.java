package io.clipstream.search.stream;

import static io.clipstream.search.stream.OpenSearchTesting.await;
import static io.clipstream.search.stream.OpenSearchTesting.quietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.search.index.OpenSearchIndex;
import io.clipstream.search.index.OpenSearchRequests;
import io.clipstream.search.index.VectorStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.hc.core5.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * What the OpenSearch backend is tested for against a real node (its k-NN plugin) and the real in-process broker:
 * embeddings published on clipstream.embeddings are found by the k-NN query; the group's offsets follow the
 * acknowledged bulk writes, and do not move while OpenSearch refuses them (a write block on the version's index); a
 * document its version's index refuses ends in clipstream.embeddings.rejected. Run by
 * {@link OpenSearchIndexerContainerTest} (the official image, where Docker exists) and {@link OpenSearchNodeTest}
 * (a node started from Maven artifacts in a child JVM).
 */
final class OpenSearchIndexerScenario {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "cs-test-" + run;
    private final String version = "os-" + run;
    private final String group = "search-os-" + run;
    private final Random random = new Random(17);

    private final URI url;

    OpenSearchIndexerScenario(URI url) {
        this.url = url;
    }

    private URI url() {
        return url;
    }

    private OpenSearchIndex store() {
        return OpenSearchIndex.connect(new OpenSearchIndex.Connection(url(), Optional.empty(), Optional.empty()),
                new OpenSearchRequests.Settings(prefix, "lucene", 16, 100, 1, 0, 7), Clock.systemUTC());
    }

    private static long documents(VectorStore store, String version) throws Exception {
        VectorStore.VersionStats stats = store.versions().get(version);
        return stats == null ? 0 : stats.documents();
    }

    /** The group has committed, for every partition, up to the end of the topic. */
    private boolean caughtUp() throws Exception {
        return OpenSearchTesting.committedOffsets(group).equals(OpenSearchTesting.endOffsets());
    }

    /** The whole scenario, against the cluster at {@link #url}. */
    void run() throws Exception {
        Map<String, float[]> vectors = new HashMap<>();
        try (KafkaTestClient kafka = KafkaTestClient.shared();
                OpenSearchTransport admin = ApacheHttpClient5TransportBuilder.builder(HttpHost.create(url()))
                        .setMapper(new JacksonJsonpMapper()).build();
                OpenSearchIndex store = store()) {
            OpenSearchClient cluster = new OpenSearchClient(admin);
            for (int i = 0; i < 20; i++) {
                String id = run + "-" + i;
                vectors.put(id, OpenSearchTesting.unit(random, 16));
                kafka.send(Topics.EMBEDDINGS, id, OpenSearchTesting.embedding(id, version, vectors.get(id),
                        Map.of("color", i % 2 == 0 ? "red" : "blue")));
            }
            EmbeddingIndexer indexer = OpenSearchTesting.indexer(group, store);
            indexer.start();
            try {
                await(quietly(() -> documents(store, version) == 20), Duration.ofSeconds(90), "20 documents");
                await(quietly(this::caughtUp), Duration.ofSeconds(30), "the group's offsets at the end of the topic");

                // Found by the k-NN query of their version, with their attributes, filters holding.
                String target = run + "-4";
                List<VectorStore.Hit> hits = store.search(version, vectors.get(target), 3, 50, Map.of());
                assertEquals(target, hits.get(0).imageId());
                assertEquals(1.0f, hits.get(0).score(), 1e-3f, "the cosine of a vector with itself");
                assertEquals("red", hits.get(0).attributes().get("color"));
                List<VectorStore.Hit> blue = store.search(version, vectors.get(target), 5, 50, Map.of("color", "blue"));
                assertEquals(5, blue.size());
                assertTrue(blue.stream().allMatch(h -> "blue".equals(h.attributes().get("color"))), blue.toString());
                assertEquals(16, store.versions().get(version).dimensions());
                assertTrue(store.lastIndexed().containsKey(version));

                // A re-read replaces its document: the same image published again is still one document.
                kafka.send(Topics.EMBEDDINGS, target, OpenSearchTesting.embedding(target, version,
                        vectors.get(target), Map.of("color", "green")));
                await(quietly(() -> "green".equals(store.search(version, vectors.get(target), 1, 10, Map.of())
                        .get(0).attributes().get("color"))), Duration.ofSeconds(60), "the replaced document");
                assertEquals(20, documents(store, version));
                await(quietly(this::caughtUp), Duration.ofSeconds(30), "the offsets past the re-read");

                // OpenSearch refuses the bulk (a write block): the offsets stay where they are.
                cluster.indices().putSettings(p -> p.index(store.requests().indexName(version))
                        .settings(s -> s.blocksWrite(true)));
                Map<Integer, Long> before = OpenSearchTesting.committedOffsets(group);
                for (int i = 20; i < 25; i++) {
                    String id = run + "-" + i;
                    vectors.put(id, OpenSearchTesting.unit(random, 16));
                    kafka.send(Topics.EMBEDDINGS, id, OpenSearchTesting.embedding(id, version, vectors.get(id),
                            Map.of("color", "red")));
                }
                await(() -> indexer.status().lastError() != null
                        && indexer.status().lastError().contains("not written"), Duration.ofSeconds(60),
                        "the refused bulk write");
                Thread.sleep(2000); // restarts, reads again, is refused again
                assertEquals(before, OpenSearchTesting.committedOffsets(group),
                        "no offset is committed past a batch OpenSearch did not acknowledge");
                assertEquals(20, documents(store, version));

                // The block lifted, the batch read again is written, and only then are the offsets committed.
                cluster.indices().putSettings(p -> p.index(store.requests().indexName(version))
                        .settings(s -> s.blocksWrite(false)));
                await(quietly(() -> documents(store, version) == 25), Duration.ofSeconds(90), "25 documents");
                await(quietly(this::caughtUp), Duration.ofSeconds(30), "the offsets past the written batch");

                // A document its version's index refuses (made elsewhere, with image ids as numbers): rejected with
                // OpenSearch's reason, and the offsets go past it.
                String other = "numbers-" + run;
                cluster.indices().create(c -> c.index(store.requests().indexName(other))
                        .settings(s -> s.knn(true).numberOfShards(1).numberOfReplicas(0))
                        .mappings(m -> m.meta("model_version", JsonData.of(other))
                                .properties("image_id", p -> p.long_(l -> l))
                                .properties("vector", p -> p.knnVector(v -> v.dimension(16)
                                        .method(k -> k.name("hnsw").spaceType("cosinesimil").engine("lucene"))))));
                String refused = run + "-refused";
                kafka.send(Topics.EMBEDDINGS, refused, OpenSearchTesting.embedding(refused, other,
                        OpenSearchTesting.unit(random, 16), Map.of()));
                List<ConsumerRecord<String, Rejected>> rejected = kafka.readUntil(Topics.EMBEDDINGS_REJECTED,
                        ClipSerdes.rejected(), r -> r.stream().anyMatch(x -> refused.equals(x.key())),
                        Duration.ofSeconds(60));
                Rejected rejection = rejected.stream().filter(r -> refused.equals(r.key())).findFirst()
                        .orElseThrow().value();
                assertEquals(ServiceAccess.SEARCH, rejection.getService());
                assertNotNull(rejection.getMessage());
                assertTrue(rejection.getMessage().contains("OpenSearch refused")
                        && rejection.getMessage().contains("image_id"), rejection.getMessage());
                await(quietly(this::caughtUp), Duration.ofSeconds(30), "the offsets past the rejected record");
                assertEquals(0, documents(store, other));

                // A version whose index name another index already has: its embeddings are rejected, not retried.
                String taken = "taken-" + run;
                cluster.indices().create(c -> c.index(store.requests().indexName(taken))
                        .mappings(m -> m.properties("text", p -> p.text(t -> t))));
                String orphan = run + "-orphan";
                kafka.send(Topics.EMBEDDINGS, orphan, OpenSearchTesting.embedding(orphan, taken,
                        OpenSearchTesting.unit(random, 16), Map.of()));
                Rejected notOurs = kafka.readUntil(Topics.EMBEDDINGS_REJECTED, ClipSerdes.rejected(),
                        r -> r.stream().anyMatch(x -> orphan.equals(x.key())), Duration.ofSeconds(60)).stream()
                        .filter(r -> orphan.equals(r.key())).findFirst().orElseThrow().value();
                assertTrue(notOurs.getMessage().contains("is not model version " + taken), notOurs.getMessage());
                await(quietly(this::caughtUp), Duration.ofSeconds(30), "the offsets past the orphan");
                assertFalse(store.versions().containsKey(taken), "an index that is not ours is no version");

                // Another replica (a store opened now) reads the versions and their last-indexed times from the
                // cluster; retention deletes a version's index.
                try (OpenSearchIndex replica = store()) {
                    assertEquals(16, replica.versions().get(version).dimensions());
                    Instant last = replica.lastIndexed().get(version);
                    assertNotNull(last, replica.lastIndexed().toString());
                    assertTrue(Duration.between(last, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) < 0,
                            last.toString());
                    replica.deleteVersion(other);
                    assertFalse(replica.versions().containsKey(other));
                    assertTrue(replica.versions().containsKey(version));
                }
                assertTrue(store.search(other, OpenSearchTesting.unit(random, 16), 3, 10, Map.of()).isEmpty(),
                        "a deleted version has nothing to find");
            } finally {
                indexer.close();
            }
        }
    }
}
