package io.clipstream.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.CheckpointMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The guardrail on simulated evaluation pools of 40–200 pairs: a candidate as good as its parent (each item hit by
 * either with the same item-specific probability) passes at the configured false-reject rate, and a damaged one is
 * still rejected. Seeded: every run sees the same pools.
 */
class TrainGuardrailFalseRejectTest {

    private static final double SIGNIFICANCE = 0.05;
    private static final int POOLS = 2000;
    private static final List<String> MEASURES = List.of(CheckpointMetrics.IMAGE_TO_TEXT_R1,
            CheckpointMetrics.IMAGE_TO_TEXT_R5, CheckpointMetrics.TEXT_TO_IMAGE_R1, CheckpointMetrics.TEXT_TO_IMAGE_R5,
            CheckpointMetrics.zeroShot("emoji", 1), CheckpointMetrics.zeroShot("emoji", 5));

    private final Guardrail guardrail = new Guardrail(new Guardrail.Settings(SIGNIFICANCE, 0.05));

    /** One pool: per measure, the probability that each item is hit (how hard it is). */
    private static Map<String, double[]> pool(Random random, int items) {
        Map<String, double[]> difficulty = new LinkedHashMap<>();
        for (String measure : MEASURES) {
            double[] p = new double[items];
            for (int i = 0; i < items; i++) {
                p[i] = random.nextDouble() * random.nextDouble() + (measure.endsWith("5") ? 0.3 : 0); // mean ~0.25/0.55
                p[i] = Math.min(1, p[i]);
            }
            difficulty.put(measure, p);
        }
        return difficulty;
    }

    /** Hits drawn from the item probabilities, each kept with probability {@code keep} (1: undamaged). */
    private static HeldOutResults draw(Random random, Map<String, double[]> pool, double keep) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, boolean[]> hits = new LinkedHashMap<>();
        pool.forEach((measure, p) -> {
            boolean[] h = new boolean[p.length];
            int count = 0;
            for (int i = 0; i < p.length; i++) {
                h[i] = random.nextDouble() < p[i] && random.nextDouble() < keep;
                count += h[i] ? 1 : 0;
            }
            hits.put(measure, h);
            metrics.put(measure, (double) count / p.length);
        });
        metrics.put(CheckpointMetrics.EVAL_LOSS, 2.0);
        return new HeldOutResults(metrics, hits);
    }

    /** The rule replaced: any measure 0.02 below the baseline's. */
    private static boolean oldRuleRejects(HeldOutResults candidate, HeldOutResults baseline) {
        return MEASURES.stream().anyMatch(m -> candidate.metrics().get(m) < baseline.metrics().get(m) - 0.02);
    }

    @Test
    void aCandidateAsGoodAsItsParentIsRejectedAtMostAtTheConfiguredRate() {
        Random random = new Random(19);
        int rejected = 0;
        int oldRejected = 0;
        for (int i = 0; i < POOLS; i++) {
            Map<String, double[]> pool = pool(random, 40 + random.nextInt(161));
            HeldOutResults parent = draw(random, pool, 1);
            HeldOutResults candidate = draw(random, pool, 1);
            rejected += guardrail.judge(candidate, Optional.of(new Guardrail.Baseline("1", parent))).passed() ? 0 : 1;
            oldRejected += oldRuleRejects(candidate, parent) ? 1 : 0;
        }
        double rate = (double) rejected / POOLS;
        double oldRate = (double) oldRejected / POOLS;
        // Three standard errors above the configured rate: a correct test stays below it (all but never by chance).
        double bound = SIGNIFICANCE + 3 * Math.sqrt(SIGNIFICANCE * (1 - SIGNIFICANCE) / POOLS);
        System.out.printf("equal candidates on pools of 40-200: rejected %.4f (bound %.4f); the 0.02 tolerance: %.4f%n",
                rate, bound, oldRate);
        assertTrue(rate <= bound, "false-reject rate " + rate + " above " + bound);
        assertTrue(oldRate > 10 * SIGNIFICANCE, "the absolute tolerance rejected " + oldRate + " of sound candidates");
    }

    @Test
    void aDamagedCandidateIsStillRejected() {
        Random random = new Random(20);
        int rejected = 0;
        int pools = 300;
        for (int i = 0; i < pools; i++) {
            Map<String, double[]> pool = pool(random, 100 + random.nextInt(101));
            HeldOutResults parent = draw(random, pool, 1);
            HeldOutResults damaged = draw(random, pool, 0.7); // loses about 30% of its hits
            rejected += guardrail.judge(damaged, Optional.of(new Guardrail.Baseline("1", parent))).passed() ? 0 : 1;
        }
        double power = (double) rejected / pools;
        System.out.printf("candidates losing 30%% of their hits on pools of 100-200: rejected %.4f%n", power);
        assertTrue(power >= 0.95, "only " + power + " of damaged candidates rejected");
    }
}
