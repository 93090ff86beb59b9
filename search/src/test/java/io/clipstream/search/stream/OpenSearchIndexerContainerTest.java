package io.clipstream.search.stream;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The OpenSearch backend against the official OpenSearch image (3.5.0, its k-NN plugin) and the real in-process
 * broker: {@link OpenSearchIndexerScenario}. Runs where a Docker engine exists; {@link OpenSearchNodeTest} runs the
 * same scenario on a node started from Maven artifacts, and {@link OpenSearchUnreachableTest} without any cluster.
 */
@Testcontainers(disabledWithoutDocker = true)
class OpenSearchIndexerContainerTest {

    @Container
    static final GenericContainer<?> OPENSEARCH = new GenericContainer<>("opensearchproject/opensearch:3.5.0")
            .withEnv("discovery.type", "single-node")
            .withEnv("DISABLE_SECURITY_PLUGIN", "true")
            .withEnv("DISABLE_INSTALL_DEMO_CONFIG", "true")
            .withEnv("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m")
            .withExposedPorts(9200)
            .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow").forPort(9200).forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void embeddingsAreFoundAndOffsetsFollowOnlyAcknowledgedBulkWrites() throws Exception {
        new OpenSearchIndexerScenario(URI.create("http://" + OPENSEARCH.getHost() + ":"
                + OPENSEARCH.getMappedPort(9200))).run();
    }
}
