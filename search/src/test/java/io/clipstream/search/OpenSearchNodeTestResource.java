package io.clipstream.search;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/** Search on OpenSearch: a real node ({@link OpenSearchNode}) and the settings that choose it. */
public class OpenSearchNodeTestResource implements QuarkusTestResourceLifecycleManager {

    private OpenSearchNode node;

    @Override
    public Map<String, String> start() {
        try {
            node = OpenSearchNode.start(Files.createTempDirectory("clipstream-search-opensearch-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("clipstream.search.backend", "opensearch",
                "clipstream.search.opensearch.url", node.url().toString(),
                "clipstream.search.opensearch.index-prefix", "cs-quarkus-" + UUID.randomUUID().toString().substring(0, 8),
                "clipstream.search.opensearch.replicas", "0",
                // Another group than the Lucene test's: this one's offsets are the OpenSearch indexes' positions.
                "clipstream.search.group-id", "clipstream-search-opensearch-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public void stop() {
        if (node != null) {
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
