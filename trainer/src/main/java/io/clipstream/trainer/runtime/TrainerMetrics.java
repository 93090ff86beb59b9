package io.clipstream.trainer.runtime;

import io.clipstream.model.engine.Precision;
import io.clipstream.model.train.StepResult;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.trainer.RunState;
import io.clipstream.trainer.TrainerStatus;
import io.clipstream.trainer.TrainingListener;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.BatchAssembler;
import io.clipstream.schemas.CheckpointMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The trainer's Prometheus metrics: gauges read the run's status when scraped (step, loss, logit scale, learning
 * rate, throughput, model-FLOPs utilisation, consumer lag, buffers, the last checkpoint's evaluation), counters and
 * histograms are fed as the run goes (records read by outcome, step time, input wait, checkpoints by verdict).
 */
public final class TrainerMetrics implements TrainingListener {

    private static final String PREFIX = "clipstream.trainer.";
    private static final List<String> CHECKPOINT_METRICS = List.of(CheckpointMetrics.IMAGE_TO_TEXT_R1,
            CheckpointMetrics.IMAGE_TO_TEXT_R5, CheckpointMetrics.TEXT_TO_IMAGE_R1, CheckpointMetrics.TEXT_TO_IMAGE_R5,
            CheckpointMetrics.EVAL_LOSS, CheckpointMetrics.EVAL_POOL_SIZE);

    private final Map<BatchAssembler.Outcome, Counter> read = new EnumMap<>(BatchAssembler.Outcome.class);
    private final Map<CheckpointStatus, Counter> checkpoints = new EnumMap<>(CheckpointStatus.class);
    private final Counter skippedSteps;
    private final Timer stepTime;
    private final Timer inputWait;
    private final Timer checkpointTime;
    private final Timer evaluationTime;

    public TrainerMetrics(MeterRegistry registry, Supplier<TrainerStatus> status) {
        for (BatchAssembler.Outcome outcome : BatchAssembler.Outcome.values()) {
            read.put(outcome, Counter.builder(PREFIX + "pairs.read").tag("outcome", outcome.name())
                    .description("Records of the pairs topic read, by what became of them").register(registry));
        }
        for (CheckpointStatus verdict : CheckpointStatus.values()) {
            checkpoints.put(verdict, Counter.builder(PREFIX + "checkpoints").tag("status", verdict.name())
                    .description("Checkpoints stored and announced, by the guardrail's verdict").register(registry));
        }
        skippedSteps = Counter.builder(PREFIX + "steps.skipped")
                .description("Batches not applied because their loss or gradient was not finite").register(registry);
        stepTime = Timer.builder(PREFIX + "step.duration").description("Device time of one training step")
                .publishPercentileHistogram().register(registry);
        inputWait = Timer.builder(PREFIX + "input.wait")
                .description("Time a step waited for its batch after the previous one (0 when input keeps up)")
                .publishPercentileHistogram().register(registry);
        checkpointTime = Timer.builder(PREFIX + "checkpoint.duration")
                .description("Evaluating, storing and announcing one checkpoint").register(registry);
        evaluationTime = Timer.builder(PREFIX + "evaluation.duration")
                .description("Evaluating one checkpoint on the held-out pool and the zero-shot suites").register(registry);

        gauge(registry, status, "step", "Optimiser steps taken", s -> s.progress().step());
        gauge(registry, status, "checkpoint.failures.consecutive",
                "Checkpoints that could not be stored since the last that was (0: none failing)",
                s -> s.checkpoints().checkpointFailures().consecutive());
        gauge(registry, status, "samples.seen", "Fresh pairs trained on", s -> s.progress().samplesSeen());
        gauge(registry, status, "samples.replayed", "Replayed pairs trained on", s -> s.progress().replayedSamples());
        gauge(registry, status, "loss", "Contrastive loss of the last step", s -> s.lastStep().loss());
        gauge(registry, status, "logit.scale", "exp(logit_scale) after the last step", s -> s.lastStep().logitScale());
        gauge(registry, status, "learning.rate", "Learning rate of the last step", s -> s.lastStep().learningRate());
        gauge(registry, status, "gradient.norm", "Gradient norm of the last step, before clipping",
                s -> s.lastStep().gradientNorm());
        gauge(registry, status, "samples.per.second", "Pairs trained per second over the last steps",
                s -> s.throughput().samplesPerSecond());
        gauge(registry, status, "model.flops.utilization",
                "Model FLOP/s over the device's peak (MFU; the peak is a timed 1024^3 matmul unless configured)",
                s -> s.throughput().modelFlopsUtilization());
        gauge(registry, status, "peak.flops", "The peak FLOP/s the utilisation is measured against",
                s -> s.throughput().peakFlops());
        gauge(registry, status, "consumer.lag", "Pairs on the topic not yet read (-1: unknown)",
                s -> s.data().consumerLag());
        gauge(registry, status, "pairs.pending", "Pairs read but not yet trained on (shuffle buffer)",
                s -> s.data().pendingPairs());
        gauge(registry, status, "replay.pairs", "Pairs in the replay reservoir", s -> s.data().replayPairs());
        gauge(registry, status, "evaluation.pairs", "Held-out pairs in the evaluation pool",
                s -> s.data().evaluationPairs());
        gauge(registry, status, "records.undecodable", "Records skipped as unreadable since start",
                s -> s.data().undecodableRecords());
        for (Precision precision : Precision.values()) {
            Gauge.builder(PREFIX + "precision", () -> precision.label().equals(status.get().run().precision()) ? 1 : 0)
                    .tag("precision", precision.label()).description("1 for the precision the model trains in")
                    .register(registry);
        }
        for (RunState state : RunState.values()) {
            Gauge.builder(PREFIX + "state", () -> status.get().run().state() == state ? 1 : 0)
                    .tag("state", state.name())
                    .description("1 for the state the run is in").register(registry);
        }
        for (String metric : CHECKPOINT_METRICS) {
            Gauge.builder(PREFIX + "checkpoint.metric", () -> lastCheckpointMetric(status.get(), metric))
                    .tag("metric", metric).description("Evaluation of the newest checkpoint").register(registry);
        }
    }

    /** A gauge of one status value; a value not known yet (null) is NaN, as Prometheus has it. */
    private static void gauge(MeterRegistry registry, Supplier<TrainerStatus> status, String name, String description,
            Function<TrainerStatus, Number> value) {
        Gauge.builder(PREFIX + name, () -> {
            Number n = value.apply(status.get());
            return n == null ? Double.NaN : n.doubleValue();
        }).description(description).register(registry);
    }

    private static double lastCheckpointMetric(TrainerStatus status, String metric) {
        TrainerStatus.LastCheckpoint last = status.checkpoints().lastCheckpoint();
        Double value = last == null ? null : last.metrics().get(metric);
        return value == null ? Double.NaN : value;
    }

    @Override
    public void pairRead(BatchAssembler.Outcome outcome) {
        read.get(outcome).increment();
    }

    @Override
    public void stepped(Batch batch, StepResult result, Duration step, Duration wait) {
        stepTime.record(step);
        inputWait.record(wait);
    }

    @Override
    public void stepSkipped(Batch batch, String reason) {
        skippedSteps.increment();
    }

    @Override
    public void checkpointed(StoredCheckpoint checkpoint, Duration evaluation, Duration total) {
        checkpoints.get(checkpoint.state().status()).increment();
        evaluationTime.record(evaluation);
        checkpointTime.record(total);
    }
}
