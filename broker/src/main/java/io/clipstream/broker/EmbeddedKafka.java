package io.clipstream.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker in this JVM (Apache Kafka's own broker and test kit), with the catalog's
 * topics created. Tests share one per JVM through {@link #shared()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static EmbeddedKafka shared;

    private final KafkaClusterTestKit cluster;
    private final Path baseDirectory;
    private final long startMillis;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory, long startMillis) {
        this.cluster = cluster;
        this.baseDirectory = baseDirectory;
        this.startMillis = startMillis;
    }

    /** Starts a broker on a free port and creates every catalog topic. */
    public static EmbeddedKafka start() {
        long t0 = System.nanoTime();
        try {
            // Our own folder, removed after close: the kit's temp folders vanish in a shutdown hook that races ours.
            Path baseDirectory = Files.createTempDirectory("clipstream-kafka-");
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBaseDirectory(baseDirectory).build())
                    .setDeleteOnClose(false);
            BrokerSettings.singleNode().forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            TopicProvisioner.ensureCatalog(cluster.bootstrapServers(), (short) 1);
            return new EmbeddedKafka(cluster, baseDirectory, (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the in-process Kafka broker: " + e, e);
        }
    }

    /** One broker per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            shared = start();
            EmbeddedKafka broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** How long start-up took, format and topic creation included. */
    public long startMillis() {
        return startMillis;
    }

    /**
     * Settings a Quarkus service needs to use this broker. Kafka Streams state goes to a folder of this broker's
     * own: state left by an earlier broker (a dedup store, say) would not match this broker's empty topics.
     */
    public Map<String, String> clientConfig() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers(),
                "quarkus.kafka-streams.bootstrap-servers", bootstrapServers(),
                "kafka-streams.state.dir", baseDirectory.resolve("streams-state").toString());
    }

    @Override
    public void close() {
        try {
            cluster.close();
            deleteRecursively(baseDirectory);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop Kafka cleanly", e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
