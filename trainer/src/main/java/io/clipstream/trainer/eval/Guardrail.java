package io.clipstream.trainer.eval;

import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.CheckpointStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a candidate checkpoint may be rolled out: it must not fall behind its baseline (the nearest
 * ancestor that passed) by more than a tolerance on any held-out measure both were evaluated on. A rejected
 * candidate is still stored and announced, with the reason, so that the operator sees what happened.
 */
public final class Guardrail {

    private final Tolerances tolerances;

    /**
     * @param recall how far (absolute) a recall@k may fall
     * @param loss how far (relative) the held-out loss may rise
     * @param zeroShot how far (absolute) a zero-shot accuracy may fall
     */
    public record Tolerances(double recall, double loss, double zeroShot) {
        public Tolerances {
            if (!(recall >= 0) || !(loss >= 0) || !(zeroShot >= 0)) {
                throw new IllegalArgumentException("Tolerances must be non-negative numbers");
            }
        }
    }

    /** The checkpoint a candidate is compared with, evaluated on the candidate's own evaluation pool. */
    public record Baseline(String version, Map<String, Double> metrics) {
    }

    /** The decision: PASSED, or REJECTED with every measure that failed. */
    public record Verdict(CheckpointStatus status, String reason) {
        public boolean passed() {
            return status == CheckpointStatus.PASSED;
        }
    }

    public Guardrail(Tolerances tolerances) {
        this.tolerances = tolerances;
    }

    public Verdict judge(Map<String, Double> candidate, Optional<Baseline> baseline) {
        List<String> failures = new ArrayList<>();
        candidate.forEach((name, value) -> {
            if (!Double.isFinite(value)) {
                failures.add(name + " is " + value);
            }
        });
        baseline.ifPresent(b -> candidate.forEach((name, value) -> {
            Double before = b.metrics().get(name);
            if (before == null || !Double.isFinite(value)) {
                return; // a measure the baseline lacks (a new zero-shot suite) cannot regress
            }
            if (CheckpointMetrics.isRecall(name) && value < before - tolerances.recall()) {
                failures.add(fell(name, value, before, b.version(), tolerances.recall()));
            } else if (CheckpointMetrics.isZeroShot(name) && value < before - tolerances.zeroShot()) {
                failures.add(fell(name, value, before, b.version(), tolerances.zeroShot()));
            } else if (name.equals(CheckpointMetrics.EVAL_LOSS) && value > before * (1 + tolerances.loss())) {
                failures.add(String.format(Locale.ROOT, "%s rose to %.4f from %.4f of version %s (tolerance +%.0f%%)",
                        name, value, before, b.version(), 100 * tolerances.loss()));
            }
        }));
        return failures.isEmpty() ? new Verdict(CheckpointStatus.PASSED, null)
                : new Verdict(CheckpointStatus.REJECTED, String.join("; ", failures));
    }

    private static String fell(String name, double value, double before, String version, double tolerance) {
        return String.format(Locale.ROOT, "%s fell to %.4f from %.4f of version %s (tolerance %.4f)",
                name, value, before, version, tolerance);
    }
}
