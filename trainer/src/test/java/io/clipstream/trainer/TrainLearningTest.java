package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.HeldOutSplit;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.eval.Evaluator;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual training of the {@code tiny} preset on the emoji corpus's Google-style pairs, published to a topic as
 * ingest would publish them (three passes over the corpus): the loss falls, held-out retrieval rises well above its
 * value at step 0, the checkpoint is stored, announced and loads back bit-identically; then the model is damaged on
 * purpose and the next candidate is announced REJECTED with the reason.
 */
class TrainLearningTest {

    private static final int PASSES = 3;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void learnsFromTheStreamAndTheGuardrailRejectsADamagedCandidate(@TempDir Path storeDir, @TempDir Path work)
            throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 3);
        String checkpointsTopic = TestTopics.checkpoints(bootstrap);
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all();
        HeldOutSplit split = new HeldOutSplit(0.1);
        List<NormalizedPair> pairs = new ArrayList<>();
        List<StreamPair> heldOut = new ArrayList<>();
        List<EmojiPairs.Emoji> trained = new ArrayList<>();
        for (int pass = 0; pass < PASSES; pass++) {
            for (int i = 0; i < emoji.size(); i++) {
                Instant eventTime = Instant.ofEpochSecond(1_700_000_000L + pass * 10_000L + i);
                NormalizedPair pair = EmojiPairs.normalized("google", emoji.get(i), 64, eventTime);
                pairs.add(pair);
                if (pass == 0 && split.isHeldOut(pair.getPairId())) {
                    heldOut.add(new StreamPair(pair.getPairId(), pair.getCaption(), eventTime.toEpochMilli(),
                            EmojiPairs.image("google", emoji.get(i), 64), pair.getAttributes()));
                } else if (pass == 0) {
                    trained.add(emoji.get(i));
                }
            }
        }
        EmojiPairs.publish(bootstrap, topic, pairs);
        long freshPairs = (long) PASSES * trained.size();

        // Zero-shot: Twitter-style drawings of 200 trained concepts (trained on in Google's style), by CLDR label.
        Path index = work.resolve("twitter.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (EmojiPairs.Emoji e : trained.subList(0, 200)) {
            lines.add(json.writeValueAsString(Map.of("file", e.file(), "label", e.label())));
        }
        Files.write(index, lines);
        // The label alone as the prompt: every caption starts with its label, "an emoji of" is words never read.
        TrainerSettings settings = new TestSettings(topic).batch(32, 0.25, 256).learningRate(1e-3, 20)
                .zeroShot(new TrainerSettings.ZeroShotSpec("twitter", index, EmojiPairs.root().resolve("twitter"),
                        List.of("{}"), 200))
                .build();

        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        RecordingListener recording = new RecordingListener();
        AtomicInteger readers = new AtomicInteger();
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "learn")) {
            TrainingRun run = new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest",
                    "learn-" + readers.incrementAndGet()), announcer, recording, true);
            run.start();
            Await.until(() -> run.state() == RunState.PAUSED || run.state() == RunState.FAILED, TIMEOUT,
                    () -> run.status().toString());
            Evaluator evaluator = new Evaluator(32, 256, List.of());
            Map<String, Double> atStepZero = run.onTrainingThread(s -> evaluator.evaluate(s.model(),
                    s.tokenizer()::tokenizeBatch, heldOut, s.manager()).metrics()).get(1, TimeUnit.MINUTES);

            long started = System.nanoTime();
            run.resume();
            Await.until(() -> run.status().progress().samplesSeen() == freshPairs
                    || run.state() == RunState.FAILED, TIMEOUT, () -> run.status().toString());
            double trainingSeconds = (System.nanoTime() - started) / 1e9;
            run.pause();
            Await.until(() -> run.state() == RunState.PAUSED, TIMEOUT, () -> run.status().toString());

            StoredCheckpoint learned = run.checkpoint().get(2, TimeUnit.MINUTES);
            Map<String, byte[]> weights = run.onTrainingThread(s -> bytes(s.model())).get(1, TimeUnit.MINUTES);
            TrainerStatus status = run.status();

            List<RecordingListener.Step> steps = recording.steps();
            double firstLoss = steps.subList(0, 10).stream().mapToDouble(RecordingListener.Step::loss).average()
                    .orElseThrow();
            double lastLoss = steps.subList(steps.size() - 10, steps.size()).stream()
                    .mapToDouble(RecordingListener.Step::loss).average().orElseThrow();
            Map<String, Double> metrics = learned.manifest().metrics();
            System.out.printf(Locale.ROOT, "TrainLearningTest: %d steps of %d in %.1f s (%.1f pairs/s, step %.0f ms,"
                            + " MFU %.1f %% of %.1f GFLOP/s); loss %.3f -> %.3f (first/last 10 steps)%n",
                    status.progress().step(), settings.batch().batchSize(), trainingSeconds,
                    status.throughput().samplesPerSecond(), 1e3 * status.throughput().stepSeconds(),
                    100 * status.throughput().modelFlopsUtilization(), status.throughput().peakFlops() / 1e9,
                    firstLoss, lastLoss);
            System.out.printf(Locale.ROOT, "TrainLearningTest: held-out pool of %d: recall@5 i->t %.3f -> %.3f,"
                            + " t->i %.3f -> %.3f, recall@1 i->t %.3f -> %.3f, eval loss %.3f -> %.3f;"
                            + " zero-shot twitter top-1 %.3f top-5 %.3f (chance %.3f / %.3f)%n",
                    heldOut.size(), atStepZero.get(CheckpointMetrics.IMAGE_TO_TEXT_R5),
                    metrics.get(CheckpointMetrics.IMAGE_TO_TEXT_R5), atStepZero.get(CheckpointMetrics.TEXT_TO_IMAGE_R5),
                    metrics.get(CheckpointMetrics.TEXT_TO_IMAGE_R5), atStepZero.get(CheckpointMetrics.IMAGE_TO_TEXT_R1),
                    metrics.get(CheckpointMetrics.IMAGE_TO_TEXT_R1), atStepZero.get(CheckpointMetrics.EVAL_LOSS),
                    metrics.get(CheckpointMetrics.EVAL_LOSS), metrics.get(CheckpointMetrics.zeroShot("twitter", 1)),
                    metrics.get(CheckpointMetrics.zeroShot("twitter", 5)), 1 / 200.0, 5 / 200.0);

            // It learned.
            assertTrue(steps.size() >= 200, "a few hundred steps: " + steps.size());
            assertTrue(lastLoss < 0.7 * firstLoss, "the loss falls clearly: " + firstLoss + " -> " + lastLoss);
            assertEquals(heldOut.size(), metrics.get(CheckpointMetrics.EVAL_POOL_SIZE).intValue(),
                    "every held-out pair is a candidate");
            // Recall@5 of both directions together; chance is 5 / 195 = 0.026, and so is an untrained model.
            double before = (atStepZero.get(CheckpointMetrics.IMAGE_TO_TEXT_R5) + atStepZero.get(CheckpointMetrics.TEXT_TO_IMAGE_R5)) / 2;
            double after = (metrics.get(CheckpointMetrics.IMAGE_TO_TEXT_R5) + metrics.get(CheckpointMetrics.TEXT_TO_IMAGE_R5)) / 2;
            double chance = 5.0 / heldOut.size();
            assertTrue(after >= before + 0.05 && after >= 3 * chance,
                    "held-out recall@5 " + before + " -> " + after + " (chance " + chance + ")");
            assertTrue(metrics.get(CheckpointMetrics.EVAL_LOSS) < atStepZero.get(CheckpointMetrics.EVAL_LOSS));
            assertTrue(metrics.containsKey(CheckpointMetrics.zeroShot("twitter", 5)), metrics.toString());
            assertEquals(CheckpointStatus.PASSED, learned.state().status(), "the first checkpoint has no baseline");
            assertNull(learned.manifest().parent());
            assertTrue(status.throughput().modelFlopsUtilization() > 0 && status.throughput().samplesPerSecond() > 0,
                    status.toString());

            // It loads back bit-identically.
            try (Checkpoints.Loaded loaded = Checkpoints.load(learned.directory())) {
                assertEquals(weights.keySet(), loaded.model().namedParameters().keySet());
                loaded.model().namedParameters().forEach((name, parameter) ->
                        assertArrayEquals(weights.get(name), parameter.getArray().toByteArray(), name));
            }

            // A damaged candidate is stored, but announced REJECTED with the reason.
            run.onTrainingThread(s -> damage(s.model())).get(1, TimeUnit.MINUTES);
            StoredCheckpoint damaged = run.checkpoint().get(2, TimeUnit.MINUTES);
            assertEquals(CheckpointStatus.REJECTED, damaged.state().status());
            assertEquals(learned.version(), damaged.manifest().parent());
            assertEquals(learned.version(), damaged.state().baseline());
            String reason = damaged.state().statusReason();
            assertTrue(reason.contains(CheckpointMetrics.IMAGE_TO_TEXT_R5 + " fell to") && reason.contains("of version "
                    + learned.version()), reason);
            run.stop(false, Duration.ofSeconds(30));

            try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
                Map<String, Checkpoint> announced = new LinkedHashMap<>();
                for (ConsumerRecord<String, Checkpoint> r : kafka.readUntil(checkpointsTopic,
                        AvroSerde.of(Checkpoint.class), r -> r.size() >= 2, Duration.ofSeconds(30))) {
                    announced.put(r.key(), r.value());
                }
                assertEquals(CheckpointStatus.PASSED, announced.get(learned.version()).getStatus());
                assertEquals(learned.manifest().weightsSha256(), announced.get(learned.version()).getSha256());
                assertEquals(freshPairs, announced.get(learned.version()).getSamplesSeen());
                assertEquals(CheckpointStatus.REJECTED, announced.get(damaged.version()).getStatus());
                assertEquals(reason, announced.get(damaged.version()).getStatusReason());
            }
        }
    }

    private static Map<String, byte[]> bytes(ClipModel model) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> bytes.put(name, p.getArray().toByteArray()));
        return bytes;
    }

    /** Gaussian noise of 0.1 on every weight: far above the scale of the trained matrices. */
    private static Void damage(ClipModel model) {
        try (GradMode off = GradMode.disabled()) {
            model.namedParameters().values().forEach(p -> {
                NDArray weights = p.getArray();
                try (NDArray noise = weights.getManager().randomNormal(0, 0.1f, weights.getShape(),
                        weights.getDataType())) {
                    weights.addi(noise);
                }
            });
        }
        return null;
    }
}
