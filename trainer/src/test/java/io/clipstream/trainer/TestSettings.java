package io.clipstream.trainer;

import io.clipstream.model.engine.Precision;
import io.clipstream.model.train.AdamW;
import io.clipstream.model.train.LearningRateSchedule;
import io.clipstream.model.train.TrainingConfig;
import io.clipstream.trainer.data.BatchSettings;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.eval.Guardrail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Settings for test runs: the tiny preset, a vocabulary trained on the stream, small batches; change what matters. */
public final class TestSettings {

    String topic;
    String preset = "tiny";
    OptionalDouble peak = OptionalDouble.empty();
    int batchSize = 16;
    double replayFraction = 0.25;
    int shuffleBuffer = 64;
    int replayCapacity = 512;
    int poolSize = 512;
    double heldOutFraction = 0.1;
    int bootstrapCaptions = 4000;
    int vocabSize = 1024;
    double learningRate = 1e-3;
    long warmupSteps = 10;
    long checkpointEverySteps = 1_000_000;
    boolean checkpointOnShutdown = true;
    TrainerSettings.Retry retry = TrainerSettings.Retry.DEFAULT;
    TrainerSettings.Retention retention = TrainerSettings.Retention.DEFAULT;
    Guardrail.Settings guardrail = new Guardrail.Settings(0.05, 0.05);
    List<TrainerSettings.ZeroShotSpec> zeroShot = new ArrayList<>();
    CaptionMix.Settings captionMix = CaptionMix.Settings.disabled();
    ImageAugmentation.Settings augmentation = ImageAugmentation.Settings.disabled();
    Precision precision = Precision.FP32;

    public TestSettings(String topic) {
        this.topic = topic;
    }

    public TestSettings batch(int size, double replay, int shuffle) {
        batchSize = size;
        replayFraction = replay;
        shuffleBuffer = shuffle;
        return this;
    }

    public TestSettings learningRate(double rate, long warmup) {
        learningRate = rate;
        warmupSteps = warmup;
        return this;
    }

    public TestSettings checkpointEvery(long steps) {
        checkpointEverySteps = steps;
        return this;
    }

    public TestSettings checkpointRetry(TrainerSettings.Retry policy) {
        retry = policy;
        return this;
    }

    public TestSettings retention(TrainerSettings.Retention policy) {
        retention = policy;
        return this;
    }

    public TestSettings zeroShot(TrainerSettings.ZeroShotSpec suite) {
        zeroShot.add(suite);
        return this;
    }

    public TestSettings captionMix(CaptionMix.Settings mix) {
        captionMix = mix;
        return this;
    }

    public TestSettings augmentation(ImageAugmentation.Settings images) {
        augmentation = images;
        return this;
    }

    public TestSettings precision(Precision compute) {
        precision = compute;
        return this;
    }

    public TrainerSettings build() {
        TrainingConfig training = new TrainingConfig(LearningRateSchedule.warmupConstant(learningRate, warmupSteps),
                AdamW.Settings.openClip().withWeightDecay(0.1), 1.0, 0, precision);
        return new TrainerSettings(topic, preset, Optional.empty(), Optional.empty(), bootstrapCaptions, vocabSize,
                Duration.ofSeconds(1),
                new BatchSettings(batchSize, replayFraction, shuffleBuffer, replayCapacity, poolSize, false),
                Duration.ofMillis(300), 2, heldOutFraction, training,
                new TrainerSettings.CheckpointPolicy(checkpointEverySteps, Duration.ofHours(1), checkpointOnShutdown,
                        retry, retention),
                256, guardrail, zeroShot, 1, peak, captionMix, augmentation);
    }
}
