package io.clipstream.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker as its own process on a fixed port, for local runs:
 * {@code java -cp $(cat broker/target/broker.classpath):broker/target/classes io.clipstream.broker.StandaloneKafka
 * --port 9092 --data DIR}. It formats the data folder on first start, creates the catalog topics once the broker
 * answers, and runs until it is stopped (SIGTERM stops it cleanly).
 */
public final class StandaloneKafka {

    private StandaloneKafka() {
    }

    public static void main(String[] args) throws Exception {
        int port = 9092;
        Path data = Path.of(".clipstream", "kafka");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: StandaloneKafka [--port 9092] [--data DIR]");
                    System.exit(2);
                }
            }
        }
        int controllerPort = port + 1;
        requireFree(port);
        requireFree(controllerPort);
        Path properties = writeProperties(data, port, controllerPort);
        formatOnce(data, properties);

        String bootstrap = "127.0.0.1:" + port;
        Thread provisioner = new Thread(() -> provisionWhenUp(bootstrap), "topic-provisioner");
        provisioner.setDaemon(true);
        provisioner.start();
        kafka.Kafka.main(new String[] {properties.toString()});
    }

    static Path writeProperties(Path data, int port, int controllerPort) {
        Map<String, String> config = new TreeMap<>(BrokerSettings.singleNode());
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", data.resolve("logs").toAbsolutePath().toString());
        List<String> lines = new ArrayList<>();
        config.forEach((k, v) -> lines.add(k + "=" + v));
        try {
            Files.createDirectories(data);
            Path file = data.resolve("server.properties");
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void formatOnce(Path data, Path properties) {
        if (Files.exists(data.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                properties.toString(), "--ignore-formatted"}, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + data + " failed with exit code " + rc);
        }
    }

    private static void provisionWhenUp(String bootstrap) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                List<String> created = TopicProvisioner.ensureCatalog(bootstrap, (short) 1);
                System.out.println("clipstream: broker ready on " + bootstrap + ", topics created: " + created.size());
                return;
            } catch (RuntimeException e) {
                sleep();
            }
        }
        System.err.println("clipstream: could not create topics on " + bootstrap + " within 120 s");
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            System.err.println("clipstream: port " + port + " is in use; stop what uses it or pass --port");
            System.exit(3);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
