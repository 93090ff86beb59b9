package io.clipstream.search.stream;

import io.clipstream.search.OpenSearchNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process twin of {@link OpenSearchIndexerContainerTest}: {@link OpenSearchIndexerScenario} against a real
 * OpenSearch node (2.19, its k-NN plugin, the lucene engine) that Maven's artifacts start in a child JVM
 * ({@link OpenSearchNode}), no Docker needed.
 */
class OpenSearchNodeTest {

    @TempDir
    static Path home;

    private static OpenSearchNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = OpenSearchNode.start(home);
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void embeddingsAreFoundAndOffsetsFollowOnlyAcknowledgedBulkWrites() throws Exception {
        new OpenSearchIndexerScenario(node.url()).run();
    }
}
