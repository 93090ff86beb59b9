package io.clipstream.trainer;

import io.clipstream.model.train.TrainingConfig;
import io.clipstream.trainer.data.BatchSettings;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.eval.Guardrail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything a training run is configured with, as plain values: the service builds it from its configuration,
 * tests build it directly.
 *
 * @param topic the pairs topic
 * @param preset the config preset when training from scratch
 * @param initWeights published weights to start from when the store has no checkpoint
 * @param vocabulary OpenAI's merges; empty: a vocabulary is trained on the stream's first captions
 * @param bootstrapCaptions captions to train that vocabulary on
 * @param vocabSize its size
 * @param bootstrapQuiet fewer captions than that are enough once the topic has been quiet this long
 * @param batch batch size, replay, shuffle buffer, evaluation pool
 * @param idleFlush input quiet this long: pending pairs are trained on without a full shuffle buffer
 * @param prefetch batches prepared ahead of the device
 * @param heldOutFraction share of pair ids held out for evaluation
 * @param training optimiser, schedule, clipping (the model's training machinery)
 * @param checkpoints when checkpoints are taken
 * @param evaluationBatch rows per encoder call when evaluating
 * @param guardrail the guardrail's significance and loss tolerance
 * @param zeroShotSuites labelled image sets classified at every checkpoint
 * @param seed of shuffling and replay sampling
 * @param peakFlops the device's peak for the MFU; empty: a 1024³ matrix product is timed at start
 * @param captionMix the phrasings a pair's caption is drawn from each time it is trained on (off: as sent)
 * @param augmentation the crops and colour changes a pair's image is drawn with each time (off: as sent)
 */
public record TrainerSettings(String topic, String preset, Optional<Path> initWeights, Optional<Path> vocabulary,
        int bootstrapCaptions, int vocabSize, Duration bootstrapQuiet, BatchSettings batch, Duration idleFlush, int prefetch,
        double heldOutFraction, TrainingConfig training, CheckpointPolicy checkpoints, int evaluationBatch,
        Guardrail.Settings guardrail, List<ZeroShotSpec> zeroShotSuites, long seed, OptionalDouble peakFlops,
        CaptionMix.Settings captionMix, ImageAugmentation.Settings augmentation) {

    public TrainerSettings {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1");
        }
        if (evaluationBatch < 1) {
            throw new IllegalArgumentException("evaluation batch must be at least 1");
        }
        zeroShotSuites = List.copyOf(zeroShotSuites);
        Objects.requireNonNull(captionMix, "captionMix");
        Objects.requireNonNull(augmentation, "augmentation");
    }

    /**
     * When checkpoints are taken besides on request.
     *
     * @param everySteps after this many steps since the last
     * @param every or after this long, whichever first (only with new steps)
     * @param onShutdown on a graceful stop
     * @param retry what happens when a periodic checkpoint cannot be stored
     * @param retention which versions the trainer deletes after a checkpoint
     */
    public record CheckpointPolicy(long everySteps, Duration every, boolean onShutdown, Retry retry,
            Retention retention) {
        public CheckpointPolicy {
            if (everySteps < 1 || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("Checkpoint intervals must be positive");
            }
        }

        /** With the default retry and retention. */
        public CheckpointPolicy(long everySteps, Duration every, boolean onShutdown) {
            this(everySteps, every, onShutdown, Retry.DEFAULT, Retention.DEFAULT);
        }

        public boolean due(long stepsSince, Duration sinceLast) {
            return stepsSince >= everySteps || (stepsSince > 0 && sinceLast.compareTo(every) >= 0);
        }
    }

    /**
     * A periodic checkpoint that fails (disk full, store unreachable) is tried again after a backoff that doubles up to
     * {@code maxBackoff}, while training goes on; after {@code unhealthyAfter} failures in a row the trainer reports
     * itself not live, so that Kubernetes restarts it (from the last checkpoint that was stored).
     */
    public record Retry(Duration initialBackoff, Duration maxBackoff, int unhealthyAfter) {
        public static final Retry DEFAULT = new Retry(Duration.ofSeconds(30), Duration.ofMinutes(10), 5);

        public Retry {
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || unhealthyAfter < 1) {
                throw new IllegalArgumentException("Checkpoint retry: backoffs must be 0 <= initial <= max, and"
                        + " unhealthy-after at least 1, got " + initialBackoff + ", " + maxBackoff + ", "
                        + unhealthyAfter);
            }
        }

        /** The wait after the {@code failures}-th failure in a row: initial, doubled each time, capped. */
        public Duration backoff(int failures) {
            Duration wait = initialBackoff;
            for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }

    /**
     * Which of its own versions the trainer keeps (versions it did not write are never touched): the newest
     * {@code keepLast}, the newest {@code keepPassed} that passed the guardrail, the version a restart resumes from
     * with its ancestors back to the nearest passed one (the guardrail's baseline), and every version named by a
     * rollout file (the embedder's and classifier's served version, where the trainer can see that file).
     */
    public record Retention(boolean enabled, int keepLast, int keepPassed, List<Path> rolloutFiles) {
        public static final Retention DEFAULT = new Retention(true, 10, 5, List.of());

        public Retention {
            if (keepLast < 1 || keepPassed < 1) {
                throw new IllegalArgumentException("Retention keeps at least the newest version and the newest passed"
                        + " one: keep-last and keep-passed must be at least 1, got " + keepLast + ", " + keepPassed);
            }
            rolloutFiles = List.copyOf(rolloutFiles);
        }
    }

    /** A zero-shot suite to load at the model's image size. */
    public record ZeroShotSpec(String name, Path index, Path images, List<String> templates, int limit) {
    }
}
