package io.clipstream.search.stream;

import io.clipstream.search.OpenSearchNode;
import org.junit.jupiter.api.Test;

/**
 * The in-process twin of {@link OpenSearchIndexerContainerTest}: {@link OpenSearchIndexerScenario} against a real
 * OpenSearch node (2.19, its k-NN plugin, the lucene engine) that Maven's artifacts start in a child JVM
 * ({@link OpenSearchNode}, the one the JVM's tests share), no Docker needed.
 */
class OpenSearchNodeTest {

    @Test
    void embeddingsAreFoundAndOffsetsFollowOnlyAcknowledgedBulkWrites() throws Exception {
        new OpenSearchIndexerScenario(OpenSearchNode.shared()).run();
    }
}
