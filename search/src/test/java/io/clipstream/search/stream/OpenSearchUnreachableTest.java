package io.clipstream.search.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.schemas.Topics;
import io.clipstream.search.index.OpenSearchIndex;
import io.clipstream.search.index.OpenSearchRequests;
import io.clipstream.search.index.VectorStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OpenSearch backend when no cluster answers (a real connection refused, the real broker): nothing counts as
 * written, so the group's offsets are never committed, and the batch is read again once the cluster answers. Where
 * Docker exists, {@link OpenSearchIndexerContainerTest} runs the same with a cluster that answers and one that
 * refuses the bulk.
 */
class OpenSearchUnreachableTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static OpenSearchIndex store(URI url, String prefix) {
        return OpenSearchIndex.connect(new OpenSearchIndex.Connection(url, Optional.empty(), Optional.empty()),
                new OpenSearchRequests.Settings(prefix, "lucene", 16, 100, 1, 0, 100), Clock.systemUTC());
    }

    @Test
    void aCommitThatCannotReachTheClusterFailsAndForgetsTheBatch() throws Exception {
        try (OpenSearchIndex store = store(closedPort(), "cs-" + run)) {
            assertEquals(VectorStore.Positions.IN_CONSUMER_GROUP, store.positions());
            VectorStore.Entry entry = new VectorStore.Entry("a", "7", new float[] {1, 0}, Instant.now(), Map.of());
            store.add(entry, Instant.now());
            assertTrue(store.problem(new VectorStore.Entry("b", "7", new float[] {1, 0, 0}, Instant.now(), Map.of()))
                    .orElseThrow().contains("3 dimensions"), "the batch's first of a version fixes its dimensions");
            IOException failure = assertThrows(IOException.class, () -> store.commit(Map.of()));
            assertTrue(failure.getMessage().contains("OpenSearch"), failure.getMessage());
            assertEquals(java.util.List.of(), store.commit(Map.of()), "the failed batch is not sent twice");
            assertThrows(IOException.class, () -> store.versions());
        }
    }

    @Test
    void theGroupsOffsetsAreNotCommittedWhileNothingIsWritten() throws Exception {
        String group = "search-os-down-" + run;
        Random random = new Random(7);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < 10; i++) {
                kafka.send(Topics.EMBEDDINGS, run + "-" + i,
                        OpenSearchTesting.embedding(run + "-" + i, "down-" + run, OpenSearchTesting.unit(random, 8),
                                Map.of()));
            }
        }
        try (OpenSearchIndex store = store(closedPort(), "cs-" + run)) {
            EmbeddingIndexer indexer = OpenSearchTesting.indexer(group, store);
            indexer.start();
            OpenSearchTesting.await(() -> indexer.status().lastError() != null
                    && indexer.status().lastError().contains("OpenSearch"), Duration.ofSeconds(60),
                    "the indexer to fail its first bulk write");
            Thread.sleep(1500); // a restart, another read of the batch, another failed write
            assertNotNull(indexer.status().lastError());
            assertEquals(0, indexer.status().indexed(), "nothing counts as indexed");
            assertEquals(Map.of(), OpenSearchTesting.committedOffsets(group),
                    "no offset is committed while OpenSearch has not acknowledged the batch");
            indexer.close();
            assertEquals(Map.of(), OpenSearchTesting.committedOffsets(group), "nor when the indexer stops");
        }
    }
}
