package io.clipstream.trainer.eval;

import io.clipstream.schemas.CheckpointMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.CheckpointStatus;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainGuardrailTest {

    private static final int POOL = 200;
    private static final String ZERO_SHOT = CheckpointMetrics.zeroShot("emoji", 1);

    private final Guardrail guardrail = new Guardrail(new Guardrail.Settings(0.05, 0.05));
    // Recall@5 0.40 and 0.38, zero-shot 0.20 on a pool of 200: the items hit are the first 80, 76 and 40.
    private final Guardrail.Baseline baseline = new Guardrail.Baseline("4", new HeldOutResults(Map.of(
            CheckpointMetrics.IMAGE_TO_TEXT_R5, 0.40, CheckpointMetrics.TEXT_TO_IMAGE_R5, 0.38,
            CheckpointMetrics.EVAL_LOSS, 2.0, ZERO_SHOT, 0.20), Map.of(
            CheckpointMetrics.IMAGE_TO_TEXT_R5, hits(0, 80), CheckpointMetrics.TEXT_TO_IMAGE_R5, hits(0, 76),
            ZERO_SHOT, hits(0, 40))));

    /** Items [from, to) of the pool hit, the others missed. */
    static boolean[] hits(int from, int to) {
        boolean[] hits = new boolean[POOL];
        for (int i = from; i < to; i++) {
            hits[i] = true;
        }
        return hits;
    }

    private static HeldOutResults candidate(boolean[] imageToText, boolean[] textToImage, double loss,
            boolean[] zeroShot) {
        return new HeldOutResults(Map.of(CheckpointMetrics.IMAGE_TO_TEXT_R5, share(imageToText),
                CheckpointMetrics.TEXT_TO_IMAGE_R5, share(textToImage), CheckpointMetrics.EVAL_LOSS, loss,
                ZERO_SHOT, share(zeroShot)), Map.of(CheckpointMetrics.IMAGE_TO_TEXT_R5, imageToText,
                CheckpointMetrics.TEXT_TO_IMAGE_R5, textToImage, ZERO_SHOT, zeroShot));
    }

    private static double share(boolean[] hits) {
        int n = 0;
        for (boolean hit : hits) {
            n += hit ? 1 : 0;
        }
        return (double) n / hits.length;
    }

    @Test
    void passesWithinTheTolerancesAndWithoutABaseline() {
        // 3 of 80 and 5 of 40 items lost, none gained: within chance for a pool of 200.
        Guardrail.Verdict verdict = guardrail.judge(candidate(hits(3, 80), hits(0, 100), 2.09, hits(5, 40)),
                Optional.of(baseline));
        assertEquals(CheckpointStatus.PASSED, verdict.status(), verdict.reason());
        assertNull(verdict.reason());
        assertTrue(guardrail.judge(new HeldOutResults(Map.of(CheckpointMetrics.EVAL_LOSS, 9.0), Map.of()),
                Optional.empty()).passed());
    }

    @Test
    void rejectsWithEveryMeasureThatFellAndItsBaseline() {
        Guardrail.Verdict verdict = guardrail.judge(candidate(hits(20, 80), hits(0, 76), 2.2, hits(8, 40)),
                Optional.of(baseline));
        assertEquals(CheckpointStatus.REJECTED, verdict.status());
        assertTrue(verdict.reason().contains("image_to_text_recall_at_5 fell to 0.3000 from 0.4000 of version 4"),
                verdict.reason());
        assertTrue(verdict.reason().contains("eval_loss rose to 2.2000 from 2.0000 of version 4 (tolerance +5%)"),
                verdict.reason());
        assertTrue(verdict.reason().contains("zero_shot_emoji_top1 fell to 0.1600"), verdict.reason());
        assertTrue(!verdict.reason().contains("text_to_image"), verdict.reason());
    }

    @Test
    void theReasonAndTheMetricsStateTheTestTheChangeAndItsInterval() {
        Guardrail.Verdict verdict = guardrail.judge(candidate(hits(20, 80), hits(0, 76), 2.0, hits(0, 40)),
                Optional.of(baseline));
        assertTrue(verdict.reason().contains("change -0.1000, 96.7% CI [")
                && verdict.reason().contains("one-sided exact McNemar test: 20 of 200 items lost, 0 gained"),
                verdict.reason());
        Map<String, Double> metrics = verdict.metrics();
        String measure = CheckpointMetrics.IMAGE_TO_TEXT_R5;
        assertEquals(-0.10, metrics.get(CheckpointMetrics.change(measure)), 1e-12);
        assertTrue(metrics.get(CheckpointMetrics.changeLow(measure)) <= -0.10
                && metrics.get(CheckpointMetrics.changeHigh(measure)) < 0, metrics.toString());
        assertEquals(Math.pow(0.5, 20), metrics.get(CheckpointMetrics.changePValue(measure)), 1e-15);
        assertEquals(0.05 / 3, metrics.get(CheckpointMetrics.GUARDRAIL_MEASURE_SIGNIFICANCE), 1e-15);
        assertEquals(0.0, metrics.get(CheckpointMetrics.change(CheckpointMetrics.TEXT_TO_IMAGE_R5)));
        assertEquals(1.0, metrics.get(CheckpointMetrics.changePValue(CheckpointMetrics.TEXT_TO_IMAGE_R5)));
    }

    @Test
    void aNonFiniteMeasureIsRejectedAndANewSuiteIsNotCompared() {
        Guardrail.Verdict nan = guardrail.judge(new HeldOutResults(Map.of(CheckpointMetrics.EVAL_LOSS, Double.NaN),
                Map.of()), Optional.empty());
        assertEquals(CheckpointStatus.REJECTED, nan.status());
        assertTrue(nan.reason().contains("eval_loss is NaN"), nan.reason());
        String suite = CheckpointMetrics.zeroShot("new", 1);
        assertTrue(guardrail.judge(new HeldOutResults(Map.of(suite, 0.0), Map.of(suite, hits(0, 0))),
                Optional.of(baseline)).passed());
    }
}
