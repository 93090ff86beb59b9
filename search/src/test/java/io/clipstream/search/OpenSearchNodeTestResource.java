package io.clipstream.search;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** Search on OpenSearch: the real node the tests share ({@link OpenSearchNode#shared}) and the settings that choose it. */
public class OpenSearchNodeTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        URI url;
        try {
            url = OpenSearchNode.shared();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("clipstream.search.backend", "opensearch",
                "clipstream.search.opensearch.url", url.toString(),
                "clipstream.search.opensearch.index-prefix", "cs-quarkus-" + UUID.randomUUID().toString().substring(0, 8),
                "clipstream.search.opensearch.replicas", "0",
                // Another group than the Lucene test's: this one's offsets are the OpenSearch indexes' positions.
                "clipstream.search.group-id", "clipstream-search-opensearch-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The node outlives the service: it ends with the JVM. */
    @Override
    public void stop() {
    }
}
