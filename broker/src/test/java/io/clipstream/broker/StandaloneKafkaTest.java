package io.clipstream.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker `clipstream local up` runs: its own JVM on a fixed port. */
class StandaloneKafkaTest {

    @Test
    void runsAsItsOwnProcessFormatsItsStorageAndCreatesTheTopics(@TempDir Path data) throws Exception {
        int port = freePortPair();
        Path log = data.resolve("broker.log");
        Process broker = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), StandaloneKafka.class.getName(),
                "--port", Integer.toString(port), "--data", data.resolve("kafka").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long t0 = System.nanoTime();
            long deadline = System.currentTimeMillis() + 90_000;
            boolean ready = false;
            while (!ready && broker.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
                ready = Files.readString(log).contains("clipstream: broker ready on");
            }
            assertTrue(ready, "standalone broker did not get ready:\n" + Files.readString(log));
            System.out.printf("standalone KRaft broker ready (topics created) in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            BrokerRoundTrip.check("127.0.0.1:" + port, Topics.PAIRS_RAW);
        } finally {
            broker.destroy(); // SIGTERM: Kafka's shutdown hook stops the broker cleanly
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "broker stops on SIGTERM");
        }
    }

    /** A free port whose successor (the controller port) is free too. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException busy) {
                // try another pair
            }
        }
        throw new IOException("no free port pair");
    }
}
