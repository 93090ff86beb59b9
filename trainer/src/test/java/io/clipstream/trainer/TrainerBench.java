package io.clipstream.trainer;

import ai.djl.ndarray.NDManager;
import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.text.BpeTrainer;
import io.clipstream.model.text.ClipTokenizer;
import io.clipstream.model.train.ClipTrainer;
import io.clipstream.model.train.PairBatch;
import io.clipstream.model.train.PairBatcher;
import io.clipstream.model.train.StepResult;
import io.clipstream.model.train.TrainingPair;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.stream.KafkaPairSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Training throughput on this machine's device through the service loop (the pairs topic of a real broker, decoding,
 * held-out split, shuffle and replay, batch tensors made on the feeder thread, steps on the training thread) against
 * the bare {@link ClipTrainer#step} on one prepared batch, for the {@code tiny} and {@code small} presets at batch
 * 32 with a BPE vocabulary of 2048 trained on the corpus. Model-FLOPs utilisation is measured against a 1024³
 * float32 matrix product timed in the same run. Prints a table; asserts nothing about time.
 *
 * <p>Run: {@code ./mvnw -B -pl trainer -am -Pbench verify -Dtest=TrainerBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class TrainerBench {

    private static final int BATCH = 32;
    private static final int WARM_UP_STEPS = 8;

    /** @param flopsPerSecond achieved model FLOP/s */
    private record Row(String preset, String path, int steps, double samplesPerSecond, double stepMs, double waitMs,
            double flopsPerSecond) {
    }

    @Test
    void serviceLoopAgainstTheBareStep() throws Exception {
        System.out.println("TrainerBench: " + Engines.describe());
        List<Row> rows = new ArrayList<>();
        // The machine may be shared: the ceiling is sampled around each measurement and the best counts.
        List<Double> ceilings = new ArrayList<>();
        ceilings.add(ceiling());
        rows.addAll(measure("tiny", 60));
        ceilings.add(ceiling());
        rows.addAll(measure("small", 30));
        ceilings.add(ceiling());
        double ceiling = ceilings.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "%-6s %-13s %6s %10s %9s %9s %9s %7s%n", "preset", "path", "steps", "pairs/s",
                "step ms", "wait ms", "GFLOP/s", "MFU");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-6s %-13s %6d %10.1f %9.1f %9.1f %9.1f %6.1f%%%n", r.preset(), r.path(),
                    r.steps(), r.samplesPerSecond(), r.stepMs(), r.waitMs(), r.flopsPerSecond() / 1e9,
                    100 * r.flopsPerSecond() / ceiling);
        }
        System.out.printf(Locale.ROOT, "matmul 1024^3 fp32 (best of each sample): %s GFLOP/s; MFU against the best;"
                + " batch %d, vocabulary 2048, captions trimmed to the longest in the batch; the loop's GFLOP/s is"
                + " its status gauge (last ~10 steps)%n",
                ceilings.stream().map(c -> String.format(Locale.ROOT, "%.1f", c / 1e9)).toList(), BATCH);
    }

    private static List<Row> measure(String preset, int steps) throws Exception {
        int size = ClipConfig.preset(preset).imageSize();
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all();
        List<NormalizedPair> pairs = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < emoji.size(); i++) {
                pairs.add(EmojiPairs.normalized("google", emoji.get(i), size,
                        Instant.ofEpochSecond(1_700_000_000L + pass * 10_000L + i)));
            }
        }
        return List.of(serviceLoop(preset, pairs, steps), bareStep(preset, emoji, size, steps));
    }

    private static double ceiling() {
        try (NDManager manager = Engines.newManager()) {
            return MatmulCeiling.measure(manager, 3_000_000_000L);
        }
    }

    private static Row serviceLoop(String preset, List<NormalizedPair> pairs, int steps) throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 6);
        EmojiPairs.publish(bootstrap, topic, pairs);
        TestSettings test = new TestSettings(topic).batch(BATCH, 0.25, 256);
        test.preset = preset;
        test.vocabSize = 2048;
        test.checkpointOnShutdown = false;
        test.peak = OptionalDouble.of(1e12); // a fixed denominator: the gauge times it is the achieved FLOP/s
        Path store = Files.createTempDirectory("trainer-bench");
        List<long[]> timings = new ArrayList<>(); // end of step, step time, input wait (ns)
        TrainingListener listener = new TrainingListener() {
            @Override
            public void stepped(Batch batch, StepResult result, Duration stepTime, Duration inputWait) {
                synchronized (timings) {
                    timings.add(new long[] {System.nanoTime(), stepTime.toNanos(), inputWait.toNanos()});
                }
            }
        };
        AtomicInteger readers = new AtomicInteger();
        TrainingRun run = new TrainingRun(test.build(), ArtifactStore.open(store.toString()),
                () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest", "bench-" + readers.incrementAndGet()),
                checkpoint -> { }, listener, false);
        run.start();
        Await.until(() -> run.status().progress().step() >= WARM_UP_STEPS + steps || run.state() == RunState.FAILED,
                Duration.ofMinutes(10), () -> run.status().toString());
        TrainerStatus status = run.status();
        run.stop(false, Duration.ofSeconds(60));
        List<long[]> measured;
        synchronized (timings) {
            measured = List.copyOf(timings.subList(WARM_UP_STEPS, WARM_UP_STEPS + steps + 1));
        }
        double seconds = (measured.getLast()[0] - measured.getFirst()[0]) / 1e9;
        double stepMs = measured.subList(1, measured.size()).stream().mapToLong(t -> t[1]).average().orElseThrow() / 1e6;
        double waitMs = measured.subList(1, measured.size()).stream().mapToLong(t -> t[2]).average().orElseThrow() / 1e6;
        return new Row(preset, "service loop", steps, steps * BATCH / seconds, stepMs, waitMs,
                status.throughput().modelFlopsUtilization() * 1e12);
    }

    /** The same model and batch size, one batch made once and stepped on again and again: no input at all. */
    private static Row bareStep(String preset, List<EmojiPairs.Emoji> emoji, int size, int steps) {
        ClipTokenizer tokenizer = ClipTokenizer.fromMergeRules(new BpeTrainer(2048)
                .train(emoji.stream().map(EmojiPairs.Emoji::caption).toList()));
        ClipConfig config = ClipConfig.preset(preset).withVocabSize(tokenizer.vocabSize());
        PairBatcher batcher = new PairBatcher(ClipImageTransform.openAi(size), tokenizer::tokenizeBatch)
                .trimmingPadding();
        // Spread over the corpus, like a shuffled batch (the first concepts are all keycaps with short captions).
        List<TrainingPair> pairs = IntStream.range(0, BATCH).mapToObj(i -> emoji.get(i * emoji.size() / BATCH))
                .map(e -> new TrainingPair(EmojiPairs.image("google", e, size), e.caption())).toList();
        TrainerSettings settings = new TestSettings("bench").build();
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(config).initialize(manager);
            try (ClipTrainer trainer = ClipTrainer.create(model, settings.training());
                    PairBatch batch = batcher.batch(pairs, manager)) {
                for (int i = 0; i < WARM_UP_STEPS; i++) {
                    trainer.step(batch.pixels(), batch.tokenIds());
                }
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    trainer.step(batch.pixels(), batch.tokenIds());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double flops = TrainingRun.stepFlops(config, BATCH, batch.tokenIds().getShape().get(1));
                return new Row(preset, "bare step", steps, steps * BATCH / seconds, 1e3 * seconds / steps, 0,
                        flops * steps / seconds);
            }
        }
    }
}
