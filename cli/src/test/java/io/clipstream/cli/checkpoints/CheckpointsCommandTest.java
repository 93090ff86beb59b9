package io.clipstream.cli.checkpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.TopicProvisioner;
import io.clipstream.cli.Clipstream;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.SourceOffset;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code clipstream checkpoints} against the real broker, on a compacted topic of its own. */
class CheckpointsCommandTest {

    private static final String TOPIC = "test.checkpoints." + UUID.randomUUID();
    private static final AvroSerde<Checkpoint> SERDE = AvroSerde.of(Checkpoint.class);

    @BeforeAll
    static void announceALineage() {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        createTopic(bootstrap);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            kafka.send(TOPIC, "1", SERDE.encode(checkpoint("1", null, 100, CheckpointStatus.PASSED, null, 0.20)));
            // Announced twice (a restarted trainer re-announces): the later record wins.
            kafka.send(TOPIC, "2", SERDE.encode(checkpoint("2", "1", 150, CheckpointStatus.UNEVALUATED, null, 0.0)));
            kafka.send(TOPIC, "2", SERDE.encode(checkpoint("2", "1", 200, CheckpointStatus.REJECTED,
                    "image_to_text_recall_at_5 fell 0.150 below 1 (tolerance 0.020)", 0.05)));
            kafka.send(TOPIC, "10", SERDE.encode(checkpoint("10", "2", 300, CheckpointStatus.PASSED, null, 0.31)));
            kafka.send(TOPIC, "junk", new byte[] {1, 2, 3});
        }
    }

    @Test
    void listsTheLatestAnnouncementOfEveryVersionInVersionOrderAndReportsUnreadableRecords() {
        Result r = run("checkpoints", "list", "--topic", TOPIC);
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().skip(1).toList();
        assertEquals(3, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("1 ") && rows.get(0).contains("PASSED") && rows.get(0).contains("0.200"), r.out());
        assertTrue(rows.get(1).startsWith("2 ") && rows.get(1).contains("REJECTED") && rows.get(1).contains(" 200 "),
                r.out());
        assertTrue(rows.get(2).startsWith("10 "), "numeric order puts 10 after 2: " + r.out());
        assertTrue(r.err().contains("1 unreadable record(s)"), "an unreadable value is reported, not listed: " + r.err());
    }

    @Test
    void showsStatusReasonMetricsOffsetsAndLineage() {
        Result r = run("checkpoints", "show", "10", "--topic", TOPIC);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("status:       PASSED"), r.out());
        assertTrue(r.out().contains("lineage:      10 (PASSED) <- 2 (REJECTED) <- 1 (PASSED)"), r.out());
        assertTrue(r.out().contains("sha256:       " + "ab".repeat(32)), r.out());
        assertTrue(r.out().contains(Topics.PAIRS_NORMALIZED + "/3  42"), r.out());
        assertTrue(r.out().contains("image_to_text_recall_at_5          0.310000"), r.out());

        Result rejected = run("checkpoints", "show", "2", "--topic", TOPIC);
        assertTrue(rejected.out().contains("REJECTED (image_to_text_recall_at_5 fell"), rejected.out());
    }

    @Test
    void anUnknownVersionIsAnErrorThatListsTheKnownOnes() {
        Result r = run("checkpoints", "show", "7", "--topic", TOPIC);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("No model version 7") && r.err().contains("[1, 2, 10"), r.err());
    }

    @Test
    void plotsTheLearningCurveAsAPngOfTheAskedSize(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path png = dir.resolve("charts/curve.png");
        Result r = run("checkpoints", "plot", "--topic", TOPIC, "--out", png.toString(), "--width", "640", "--height", "400");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + png.toAbsolutePath() + " (3 checkpoints, steps 100–300)"), r.out());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        // The recall series (0.20 → 0.05 → 0.31) is drawn in the first palette colour: some pixels carry it.
        int drawn = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
                    drawn++;
                }
            }
        }
        assertTrue(drawn > 100, "the curves are drawn: " + drawn + " pixels of the first series' colour");
    }

    @Test
    void plottingATopicWithoutCheckpointsSaysSoWithoutATrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String empty = "test.checkpoints.empty." + UUID.randomUUID();
        TopicProvisioner.ensure(EmbeddedKafka.shared().bootstrapServers(), List.of(new Topics.TopicSpec(empty, 1,
                Checkpoint.class, Topics.get(Topics.CHECKPOINTS).configs())), (short) 1);
        Result r = run("checkpoints", "plot", "--topic", empty, "--out", dir.resolve("x.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nothing to plot") && !r.err().contains("Exception"), r.err());
    }

    private static void createTopic(String bootstrap) {
        TopicProvisioner.ensure(bootstrap, List.of(new Topics.TopicSpec(TOPIC, 1, Checkpoint.class,
                Topics.get(Topics.CHECKPOINTS).configs())), (short) 1);
    }

    private static Checkpoint checkpoint(String version, String parent, long step, CheckpointStatus status,
            String reason, double recall) {
        return Checkpoint.newBuilder().setVersion(version).setParent(parent).setStep(step).setSamplesSeen(step * 32)
                .setSourceOffsets(List.of(new SourceOffset(Topics.PAIRS_NORMALIZED, 3, 42L)))
                .setArtifactUri("file:/store/" + version + "/").setSha256("ab".repeat(32)).setConfig("{\"image_size\": 64}")
                .setMetrics(Map.of("image_to_text_recall_at_5", recall, "eval_loss", 2.5))
                .setStatus(status).setStatusReason(reason).setCreatedTime(Instant.parse("2026-01-02T03:04:05Z"))
                .setFreshness(null).build();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Clipstream.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] withBroker = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("-b", EmbeddedKafka.shared().bootstrapServers())).toArray(String[]::new);
        int code = cli.execute(withBroker);
        return new Result(code, out.toString(), err.toString());
    }
}
