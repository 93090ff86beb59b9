package io.clipstream.trainer.eval;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A candidate's per-item hits compared with its baseline's on the same items (a recall@k or a zero-shot accuracy),
 * by the one-sided exact McNemar test: only the discordant items speak — {@code lost} that the baseline hit and the
 * candidate missed, {@code gained} the other way round — and if both models were equally good each would be a loss
 * with probability ½. The candidate is worse beyond chance when {@code pValue ≤ alpha}.
 *
 * <p>The change (candidate − baseline share of hits, {@code (gained − lost) / items}) comes with a two-sided
 * {@code 1 − 2·alpha} interval from the exact (Clopper–Pearson) interval of the share of discordant items lost;
 * its upper end is below zero exactly when the test finds the candidate worse. (The interval is conditional on the
 * number of discordant items, as the test is: with every one of them lost, its lower end is the change itself.) Exact, so there is nothing random
 * to seed: the same hits always give the same decision.
 *
 * @param measure the metric's name
 * @param baseline the baseline's share of hits
 * @param candidate the candidate's share of hits
 * @param items items compared
 * @param lost items the baseline hit and the candidate missed
 * @param gained items the candidate hit and the baseline missed
 * @param alpha the significance this measure is tested at
 * @param pValue P(at least {@code lost} losses among the discordant items | equally good)
 * @param changeLow lower end of the change's interval
 * @param changeHigh upper end of the change's interval
 */
public record PairedComparison(String measure, double baseline, double candidate, int items, int lost, int gained,
        double alpha, double pValue, double changeLow, double changeHigh) {

    /** The name of the test, as checkpoints state it. */
    public static final String TEST = "one-sided exact McNemar test";

    public static PairedComparison of(String measure, boolean[] baselineHits, boolean[] candidateHits, double alpha) {
        if (baselineHits.length != candidateHits.length || baselineHits.length == 0) {
            throw new IllegalArgumentException(measure + ": need hits of the same items, have "
                    + baselineHits.length + " and " + candidateHits.length);
        }
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must be in (0, 0.5): " + alpha);
        }
        int n = baselineHits.length;
        int baselineCount = 0;
        int candidateCount = 0;
        int lost = 0;
        int gained = 0;
        for (int i = 0; i < n; i++) {
            baselineCount += baselineHits[i] ? 1 : 0;
            candidateCount += candidateHits[i] ? 1 : 0;
            lost += baselineHits[i] && !candidateHits[i] ? 1 : 0;
            gained += !baselineHits[i] && candidateHits[i] ? 1 : 0;
        }
        return of(measure, n, baselineCount, candidateCount, lost, gained, alpha);
    }

    private static PairedComparison of(String measure, int n, int baselineCount, int candidateCount, int lost,
            int gained, double alpha) {
        int discordant = lost + gained;
        double pValue = atLeast(lost, discordant, 0.5);
        // Clopper–Pearson bounds on the share of discordant items lost, each tail alpha.
        double lostShareLow = lost == 0 ? 0 : bisect(theta -> atLeast(lost, discordant, theta) - alpha);
        double lostShareHigh = lost == discordant ? 1
                : bisect(theta -> alpha - (1 - atLeast(lost + 1, discordant, theta)));
        // (+ 0.0: no discordant item gives 0 × −1, which would read "-0.0")
        return new PairedComparison(measure, (double) baselineCount / n, (double) candidateCount / n, n, lost, gained,
                alpha, pValue, discordant * (1 - 2 * lostShareHigh) / n + 0.0, discordant * (1 - 2 * lostShareLow) / n);
    }

    /** Candidate − baseline share of hits. */
    public double change() {
        return (double) (gained - lost) / items;
    }

    /** Worse than the baseline beyond chance. */
    public boolean worse() {
        return pValue <= alpha;
    }

    /** The confidence of the change's interval. */
    public double confidence() {
        return 1 - 2 * alpha;
    }

    /** The test, the effect and its interval, for a checkpoint's reason. */
    public String summary() {
        return String.format(Locale.ROOT, "change %+.4f, %.1f%% CI [%+.4f, %+.4f]; %s: %d of %d items lost, %d gained,"
                + " p=%.3g %s %.3g", change(), 100 * confidence(), changeLow, changeHigh, TEST, lost, items, gained,
                pValue, worse() ? "≤" : ">", alpha);
    }

    /** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (exact for the pool sizes of an evaluation). */
    static double atLeast(int k, int n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logChoose = 0; // log C(n, i), walked from i = 0
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[n - k + 1];
        for (int i = 0; i <= n; i++) {
            if (i >= k) {
                terms[i - k] = logChoose + i * logP + (n - i) * logQ;
                max = Math.max(max, terms[i - k]);
            }
            logChoose += Math.log(n - i) - Math.log(i + 1);
        }
        double sum = 0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return Math.min(1, Math.exp(max) * sum);
    }

    /** The root in (0, 1) of a function increasing in theta, to double precision. */
    private static double bisect(DoubleUnaryOperator increasing) {
        double low = 0;
        double high = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (low + high) / 2;
            if (increasing.applyAsDouble(mid) < 0) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }
}
