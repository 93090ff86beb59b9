package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.CliRun;
import io.clipstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local up --replicas}: extra instances of a service, each its own port, state, log and group identity. */
class LocalReplicasTest {

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aReplicaCountThatCannotWorkIsRefusedInOneLine(@TempDir Path home) {
        Map<String, String> refused = Map.of(
                "trainer=2", "the trainer runs once: it holds one optimiser state",
                "embedder=0", "--replicas embedder=0: a count from 1 to 6 (clipstream.images has 6 partitions",
                "classifier=7", "--replicas classifier=7: a count from 1 to 6 (clipstream.embeddings has 6 partitions",
                "foo=2", "--replicas: no service foo; these scale: ingest, embedder, classifier",
                "embedder", "--replicas embedder: write SERVICE=COUNT");
        refused.forEach((replicas, says) -> {
            CliRun.Result result = CliRun.run("local", "up", "--replicas", replicas, "--home", home.toString())
                    .failsWithOneLine(says);
            assertEquals(2, result.code(), result.toString());
        });
    }

    @Test
    void eachReplicaHasItsOwnPortStateLogAndGroupInstanceId(@TempDir Path home) {
        Path run = home.resolve(".clipstream/run-x");
        LocalStack stack = new LocalStack(new Installation(home), 19092, 18081, run, ServiceSettings.NONE,
                LocalStack.DEFAULT_BIND, Replicas.parse("embedder=2,classifier=2,ingest=2"));
        assertEquals(List.of("ingest", "ingest-2", "trainer", "embedder", "embedder-2", "classifier", "classifier-2"),
                stack.services().stream().map(LocalService::instanceName).filter(n -> !n.startsWith("search")
                        && !n.startsWith("console")).toList(), "the trainer runs once");
        int firstExtra = 18081 + Installation.portSpan();
        assertEquals(18083, stack.service("embedder").port(), "the first instances keep their ports");
        assertEquals(List.of(firstExtra, firstExtra + 1, firstExtra + 2), List.of(stack.service("ingest-2").port(),
                stack.service("embedder-2").port(), stack.service("classifier-2").port()));

        LocalService second = stack.service("embedder-2");
        List<String> command = stack.serviceCommand(second);
        assertTrue(command.contains("-Dquarkus.http.port=" + (firstExtra + 1)), command.toString());
        assertTrue(command.contains("-Dkafka-streams.state.dir=" + run.resolve("state/embedder-2")), command.toString());
        assertTrue(stack.serviceCommand(stack.service("embedder"))
                .contains("-Dkafka-streams.state.dir=" + run.resolve("state/embedder")));
        assertEquals(run.resolve("embedder-2.log"), stack.log(second));
        assertEquals(home.resolve("embedder/target/quarkus-app/quarkus-run.jar").toString(), command.getLast());
        assertEquals("embedder-2", stack.serviceEnvironment(second).get("CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID"));
        assertEquals("embedder-1", stack.serviceEnvironment(stack.service("embedder"))
                .get("CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID"));
        assertEquals(second, stack.service("embedder-2"));
        assertEquals(stack.service("embedder"), stack.service("embedder-1"), "the first by its group identity too");
    }

    /**
     * A recorded run of two embedder instances on the real broker: one runs (a stand-in answering health) and is the
     * group's only member (a consumer joined as embedder-2), the other is not running. Status lists both, with the
     * partitions and lag the broker reports; restart takes the replica's instance name.
     */
    @Test
    void statusListsEveryInstanceWithItsPartitionsAndLagAndRestartTakesAnInstance(@TempDir Path home)
            throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.IMAGES, "replicas-test", "not read".getBytes(StandardCharsets.UTF_8));
        }
        Installation installation = new Installation(home);
        Path runDirectory = LocalStack.newRunDirectory(installation);
        int port = FreePorts.consecutive(2);
        LocalService first = Installation.SERVICES.stream().filter(s -> s.name().equals("embedder")).findFirst()
                .orElseThrow().withPort(port);
        LocalService second = first.replica(2, port + 1);
        Path source = Files.writeString(Files.createDirectories(home.resolve("fake")).resolve("HealthyService.java"),
                LocalRestartTest.HEALTHY_SERVICE);
        RunProcesses run = new RunProcesses(runDirectory);
        started.add(run.launch("embedder-2", new RunProcesses.Launch(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dquarkus.http.port=" + (port + 1),
                "-Dkafka-streams.state.dir=" + runDirectory.resolve("state/embedder-2"), source.toString()),
                Map.of(), home, runDirectory.resolve("embedder-2.log"))).toHandle());
        LocalStack.recordRun(installation, runDirectory, bootstrap, List.of("embedder", "embedder-2"),
                List.of(first, second));

        try (KafkaConsumer<byte[], byte[]> member = joinedAs(bootstrap, "clipstream-embedder", "embedder-2")) {
            long lag = lag(member);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Health.ready(second).up()) {
                assertTrue(System.nanoTime() < deadline, "the stand-in answers within 30 s");
                Thread.sleep(100);
            }
            CliRun.Result status = CliRun.run("local", "status", "--home", home.toString()).assertNoStackTrace();
            assertTrue(Pattern.compile("instance embedder-2 +pid \\d+ +port " + (port + 1) + " +health UP +partitions "
                    + "clipstream.images \\[0, 1, 2, 3, 4, 5\\] lag " + lag + "\n").matcher(status.out()).find(),
                    status.toString());
            assertTrue(Pattern.compile("instance embedder +not running +port " + port + " +health DOWN +no partitions "
                    + "\\(not a member of clipstream-embedder as embedder-1\\)").matcher(status.out()).find(),
                    status.toString());
            assertTrue(status.out().contains("group clipstream-embedder: clipstream.images 6 partitions, 1 members, lag "
                    + lag + "\n  member embedder-2 partitions [0, 1, 2, 3, 4, 5]"), status.toString());
            assertEquals(1, status.code(), "an instance is not running: " + status);
        }

        CliRun.Result restart = CliRun.run("local", "restart", "embedder-2", "--home", home.toString(), "--timeout",
                "60").assertNoStackTrace();
        assertEquals(0, restart.code(), restart.toString());
        ProcessHandle restarted = run.running("embedder-2").orElseThrow();
        started.add(restarted);
        assertTrue(restart.out().contains("embedder-2: live (ready once a checkpoint is rolled out) (pid "
                + restarted.pid() + ")") || restart.out().contains("embedder-2: ready (pid " + restarted.pid() + ")"),
                restart.toString());
        CliRun.run("local", "restart", "embedder-3", "--home", home.toString())
                .failsWithOneLine("No service embedder-3 in this run; its services: [embedder, embedder-2]");
        assertTrue(CliRun.run("local", "down", "--home", home.toString()).out().contains("Stopped embedder-2."));
    }

    /** A consumer in {@code group} as static member {@code instanceId}, holding its partitions of the images. */
    private static KafkaConsumer<byte[], byte[]> joinedAs(String bootstrap, String group, String instanceId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A static member stays in the group after close until its session ends: the broker's minimum.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.IMAGES));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "joined within 30 s");
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    /** What the group has yet to read of the images: their end offsets less what it committed. */
    private static long lag(KafkaConsumer<byte[], byte[]> member) {
        Set<TopicPartition> partitions = member.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = member.committed(partitions);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : member.endOffsets(partitions).entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue() - (at == null ? 0 : at.offset());
        }
        assertTrue(lag >= 1, "an image waits: " + lag);
        return lag;
    }
}
