package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import io.clipstream.trainer.runtime.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with {@code clipstream.trainer.precision=bf16} through the real trainer path (real broker, no Quarkus): it
 * trains with finite losses, its status and its precision gauge say bf16, and the checkpoint it writes holds float32
 * weights (the masters), as a resumed run reads them.
 */
class TrainPrecisionRunTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void aBf16RunReportsItsPrecisionAndCheckpointsFloat32Masters(@TempDir Path storeDir) throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 1);
        String checkpointsTopic = TestTopics.checkpoints(bootstrap);
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all().subList(0, 96);
        List<NormalizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < emoji.size(); i++) {
            pairs.add(EmojiPairs.normalized("google", emoji.get(i), 64, Instant.ofEpochSecond(1_700_000_000L + i)));
        }
        EmojiPairs.publish(bootstrap, topic, pairs);

        TrainerSettings settings = new TestSettings(topic).batch(16, 0.25, 32).precision(Precision.BF16).build();
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        AtomicReference<TrainingRun> current = new AtomicReference<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new TrainerMetrics(registry, () -> current.get().status());
        RecordingListener listener = new RecordingListener();
        TrainingRun run;
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(
                KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "precision")) {
            run = new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap),
                    topic, "earliest", "precision-run"), announcer, listener, false);
            current.set(run);
            run.start();
            Await.until(() -> listener.steps().size() >= 4 || run.state() == RunState.FAILED, TIMEOUT,
                    () -> run.status().toString());
            assertEquals("bf16", run.status().run().precision());
            assertEquals(1.0, registry.get("clipstream.trainer.precision").tag("precision", "bf16").gauge().value());
            assertEquals(0.0, registry.get("clipstream.trainer.precision").tag("precision", "fp32").gauge().value());
            run.stop(true, Duration.ofSeconds(60));
        }
        assertTrue(listener.steps().size() >= 4, run.status().toString());
        listener.steps().forEach(step -> assertTrue(Float.isFinite(step.loss()), "step " + step));

        try (TrainingSession resumed = TrainingSession.open(settings, store, () -> {
            throw new AssertionError("a resume reads no captions");
        }, () -> false)) {
            assertEquals(TrainingSession.Origin.RESUMED, resumed.origin());
            resumed.model().namedParameters().forEach((name, parameter) ->
                    assertEquals(DataType.FLOAT32, parameter.getArray().getDataType(), name));
            assertEquals(Precision.BF16, resumed.trainer().precision(), "the resumed trainer computes in bf16 too");
        }
    }
}
