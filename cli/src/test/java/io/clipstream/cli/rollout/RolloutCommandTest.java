package io.clipstream.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.TopicProvisioner;
import io.clipstream.cli.Clipstream;
import io.clipstream.deploy.Rollout;
import io.clipstream.deploy.RolloutManifest;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipstream rollout} against the real broker, a store of real checkpoints and a copy of deploy/k8s (the
 * committed tree is never edited).
 */
class RolloutCommandTest {

    private static final String TOPIC = "test.checkpoints." + UUID.randomUUID();
    private static final AvroSerde<Checkpoint> SERDE = AvroSerde.of(Checkpoint.class);
    private static final ClipConfig CONFIG = ClipConfig.preset("tiny").withVocabSize(500);
    private static final String REASON = "image_to_text_recall_at_5 fell 0.150 below 1 (tolerance 0.020)";

    @TempDir
    static Path storeDir;
    private static String store;

    @TempDir
    Path temp;
    private Path k8s;

    /**
     * Announces: 1 and 7 PASSED and intact, 2 REJECTED, 3 not yet evaluated, 8 PASSED but a byte of its weights
     * flipped in the store, 9 PASSED and intact but announced with other weights than the store holds.
     */
    @BeforeAll
    static void publishCheckpointsAndAnnounceThem() throws IOException {
        store = storeDir.toUri().toString();
        ArtifactStore artifacts = ArtifactStore.open(store);
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        TopicProvisioner.ensure(bootstrap, List.of(new Topics.TopicSpec(TOPIC, 1, Checkpoint.class,
                Topics.get(Topics.CHECKPOINTS).configs())), (short) 1);
        try (NDManager manager = Engines.newManager(); KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            ClipModel model = new ClipModel(CONFIG).initialize(manager);
            for (String version : List.of("1", "2", "3", "7", "8", "9")) {
                Path staged = artifacts.newStagingDirectory();
                String sha = Checkpoints.save(staged, model, CheckpointManifest.of(version, null, CONFIG, Map.of()))
                        .weightsSha256();
                artifacts.publish(version, staged);
                CheckpointStatus status = switch (version) {
                    case "2" -> CheckpointStatus.REJECTED;
                    case "3" -> CheckpointStatus.UNEVALUATED;
                    default -> CheckpointStatus.PASSED;
                };
                String announcedSha = version.equals("9") ? "ab".repeat(32) : sha;
                kafka.send(TOPIC, version, SERDE.encode(checkpoint(version, artifacts.uri(version).toString(),
                        announcedSha, status, version.equals("2") ? REASON : null)));
            }
        }
        flipLastByte(artifacts.locate("8").orElseThrow().resolve(Checkpoints.WEIGHTS_FILE));
    }

    @BeforeEach
    void copyTheTreeServingVersion1() {
        k8s = copy(Path.of("..", "deploy", "k8s"), temp.resolve("k8s"));
        RolloutManifest.of(k8s, "production").setStable("1");
    }

    @Test
    void rollsAVerifiedPassedVersionToStable() {
        Map<String, String> before = snapshot();
        Result r = run("rollout", "7", "--store", store);
        assertEquals(0, r.code(), r.err());
        assertEquals(new Rollout("7", Optional.empty()), current());
        assertTrue(r.out().contains("artifact verified") && r.out().contains("stable:   1 -> 7"), r.out());
        assertTrue(r.out().contains("kubectl apply -k") && r.out().contains("overlays/production"), r.out());
        assertTrue(r.out().contains("clipstream rollout 1"), "the way back: " + r.out());

        Map<String, String> after = snapshot();
        before.keySet().removeIf(file -> before.get(file).equals(after.get(file)));
        assertEquals(List.of("base/rollout.env"), List.copyOf(before.keySet()), "only the one file changes");
    }

    /** Without --store the announced file: URI is verified. Then promote, then a second canary aborted. */
    @Test
    void startsPromotesAndAbortsACanary() {
        Result canary = run("rollout", "7", "--canary", "20%");
        assertEquals(0, canary.code(), canary.err());
        Rollout.Canary running = current().canary().orElseThrow();
        assertEquals("7", running.version());
        assertEquals(1, running.split().canaryReplicas(), "20 % of 6 partitions is one");
        assertEquals("1", current().stable());
        assertTrue(canary.out().contains("artifact verified"), canary.out());
        assertTrue(canary.out().contains("canary:   none -> 7 on 1 of 6 embedders (17 % of the images)"), canary.out());

        Result promote = run("rollout", "7");
        assertEquals(0, promote.code(), promote.err());
        assertEquals(new Rollout("7", Optional.empty()), current());
        assertTrue(promote.out().contains("delete deployment embedder-canary"), promote.out());

        Result again = run("rollout", "1", "--canary", "50%");
        assertEquals(0, again.code(), again.err());
        assertEquals(3, current().canary().orElseThrow().split().canaryReplicas());
        Result abort = run("rollout", "--abort-canary");
        assertEquals(0, abort.code(), abort.err());
        assertEquals(new Rollout("7", Optional.empty()), current());
    }

    @Test
    void refusesAnUnknownVersionNamingTheAnnouncedOnes() {
        Result r = refused("rollout", "42");
        assertTrue(r.err().startsWith("Refusing to roll out 42: no such checkpoint on " + TOPIC), r.err());
        assertTrue(r.err().contains("[1, 2, 3, 7, 8, 9]"), r.err());
    }

    @Test
    void refusesARejectedVersionWithTheTrainersReason() {
        Result r = refused("rollout", "2", "--canary", "10%");
        assertTrue(r.err().contains("REJECTED") && r.err().contains(REASON), r.err());
        assertTrue(refused("rollout", "3").err().contains("UNEVALUATED"));
    }

    @Test
    void refusesACorruptArtifactNamingTheFile() {
        Result r = refused("rollout", "8", "--store", store);
        assertTrue(r.err().contains(Checkpoints.WEIGHTS_FILE) && r.err().contains("SHA-256 mismatch"), r.err());
        // The same through the announced URI, and a store that lacks the version.
        assertTrue(refused("rollout", "8").err().contains("SHA-256 mismatch"));
        assertTrue(refused("rollout", "7", "--store", temp.resolve("empty").toString()).err()
                .contains("has no such version"));
    }

    @Test
    void refusesWeightsOtherThanTheAnnouncedOnes() {
        Result r = refused("rollout", "9", "--store", store);
        assertTrue(r.err().contains("is not the announced one") && r.err().contains("ab".repeat(32)), r.err());
    }

    /** Runs a command that must be refused: exit 1, one line on stderr, every manifest file byte for byte as before. */
    private Result refused(String... args) {
        Map<String, String> before = snapshot();
        Result r = run(args);
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(before, snapshot(), "a refusal leaves the manifests as they were");
        return r;
    }

    private Rollout current() {
        return RolloutManifest.of(k8s, "production").current();
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--k8s", k8s.toString(), "--topic", TOPIC,
                "-b", EmbeddedKafka.shared().bootstrapServers())).toArray(String[]::new);
        int code = Clipstream.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    private static Checkpoint checkpoint(String version, String uri, String sha256, CheckpointStatus status,
            String reason) {
        return Checkpoint.newBuilder().setVersion(version).setParent(null).setStep(100).setSamplesSeen(3200)
                .setSourceOffsets(List.of()).setArtifactUri(uri).setSha256(sha256).setConfig("{}")
                .setMetrics(Map.of()).setStatus(status).setStatusReason(reason)
                .setCreatedTime(Instant.parse("2026-01-02T03:04:05Z")).setFreshness(null).build();
    }

    private static void flipLastByte(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            last.put(0, (byte) (last.get(0) ^ 0x01)).rewind();
            channel.write(last, channel.size() - 1);
        }
    }

    /** Every file of the tree as its bytes (ISO-8859-1 keeps each byte as one char). */
    private Map<String, String> snapshot() {
        try (Stream<Path> files = Files.walk(k8s)) {
            Map<String, String> contents = new TreeMap<>();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(k8s.relativize(file).toString().replace('\\', '/'),
                        new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
            return contents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
