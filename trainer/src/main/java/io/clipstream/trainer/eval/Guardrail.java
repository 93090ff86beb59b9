package io.clipstream.trainer.eval;

import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.CheckpointStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a candidate checkpoint may be rolled out: it must not be worse than its baseline (the nearest
 * ancestor that passed, evaluated on the same pool) beyond chance on any held-out measure both were evaluated on.
 * Measures that count hits (recall@1/@5 both ways, zero-shot top-1/top-5) are compared item by item with a
 * {@link PairedComparison} (one-sided exact McNemar test): a fixed tolerance cannot do, as one item of a pool of 40
 * is already 0.025 of recall. The significance is the false-reject rate of the whole verdict for a candidate as good
 * as its baseline, split evenly over the measures compared (Bonferroni). The held-out loss, a mean rather than a
 * count, may rise by a fraction. A rejected candidate is still stored and announced, with the reason, so that the
 * operator sees what happened.
 */
public final class Guardrail {

    private final Settings settings;

    /**
     * @param significance the verdict's false-reject rate for a candidate as good as its baseline
     * @param lossTolerance how far (relative) the held-out loss may rise
     */
    public record Settings(double significance, double lossTolerance) {
        public Settings {
            if (!(significance > 0 && significance < 0.5) || !(lossTolerance >= 0)) {
                throw new IllegalArgumentException("The significance must be in (0, 0.5) and the loss tolerance "
                        + "non-negative: " + significance + ", " + lossTolerance);
            }
        }
    }

    /** The checkpoint a candidate is compared with, evaluated on the candidate's own evaluation pool. */
    public record Baseline(String version, HeldOutResults results) {
    }

    /**
     * The decision: PASSED, or REJECTED with every measure that failed; with the paired comparisons it rests on.
     */
    public record Verdict(CheckpointStatus status, String reason, List<PairedComparison> comparisons) {
        public Verdict {
            comparisons = List.copyOf(comparisons);
        }

        public Verdict(CheckpointStatus status, String reason) {
            this(status, reason, List.of());
        }

        public boolean passed() {
            return status == CheckpointStatus.PASSED;
        }

        /** The comparisons as checkpoint metrics: change, its interval and p-value per measure, and the level. */
        public Map<String, Double> metrics() {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (PairedComparison c : comparisons) {
                metrics.put(CheckpointMetrics.change(c.measure()), c.change());
                metrics.put(CheckpointMetrics.changeLow(c.measure()), c.changeLow());
                metrics.put(CheckpointMetrics.changeHigh(c.measure()), c.changeHigh());
                metrics.put(CheckpointMetrics.changePValue(c.measure()), c.pValue());
            }
            if (!comparisons.isEmpty()) {
                metrics.put(CheckpointMetrics.GUARDRAIL_MEASURE_SIGNIFICANCE, comparisons.getFirst().alpha());
            }
            return metrics;
        }
    }

    public Guardrail(Settings settings) {
        this.settings = settings;
    }

    public Verdict judge(HeldOutResults candidate, Optional<Baseline> baseline) {
        List<String> failures = new ArrayList<>();
        candidate.metrics().forEach((name, value) -> {
            if (!Double.isFinite(value)) {
                failures.add(name + " is " + value);
            }
        });
        List<PairedComparison> comparisons = new ArrayList<>();
        baseline.ifPresent(b -> {
            // A measure the baseline lacks (a new zero-shot suite) cannot regress.
            List<String> paired = candidate.hits().keySet().stream().filter(b.results().hits()::containsKey).toList();
            for (String name : paired) {
                PairedComparison c = PairedComparison.of(name, b.results().hits().get(name),
                        candidate.hits().get(name), settings.significance() / paired.size());
                comparisons.add(c);
                if (c.worse()) {
                    failures.add(String.format(Locale.ROOT, "%s fell to %.4f from %.4f of version %s (%s)",
                            name, c.candidate(), c.baseline(), b.version(), c.summary()));
                }
            }
            Double lossBefore = b.results().metrics().get(CheckpointMetrics.EVAL_LOSS);
            Double loss = candidate.metrics().get(CheckpointMetrics.EVAL_LOSS);
            if (lossBefore != null && loss != null && Double.isFinite(loss)
                    && loss > lossBefore * (1 + settings.lossTolerance())) {
                failures.add(String.format(Locale.ROOT, "%s rose to %.4f from %.4f of version %s (tolerance +%.0f%%)",
                        CheckpointMetrics.EVAL_LOSS, loss, lossBefore, b.version(), 100 * settings.lossTolerance()));
            }
        });
        return failures.isEmpty() ? new Verdict(CheckpointStatus.PASSED, null, comparisons)
                : new Verdict(CheckpointStatus.REJECTED, String.join("; ", failures), comparisons);
    }
}
