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

    private final Guardrail guardrail = new Guardrail(new Guardrail.Tolerances(0.02, 0.05, 0.03));
    private final Guardrail.Baseline baseline = new Guardrail.Baseline("4", Map.of(
            CheckpointMetrics.IMAGE_TO_TEXT_R5, 0.40, CheckpointMetrics.TEXT_TO_IMAGE_R5, 0.38, CheckpointMetrics.EVAL_LOSS, 2.0,
            CheckpointMetrics.zeroShot("emoji", 1), 0.20));

    @Test
    void passesWithinTheTolerancesAndWithoutABaseline() {
        Guardrail.Verdict verdict = guardrail.judge(Map.of(CheckpointMetrics.IMAGE_TO_TEXT_R5, 0.385,
                CheckpointMetrics.TEXT_TO_IMAGE_R5, 0.50, CheckpointMetrics.EVAL_LOSS, 2.09,
                CheckpointMetrics.zeroShot("emoji", 1), 0.175), Optional.of(baseline));
        assertEquals(CheckpointStatus.PASSED, verdict.status(), verdict.reason());
        assertNull(verdict.reason());
        assertTrue(guardrail.judge(Map.of(CheckpointMetrics.EVAL_LOSS, 9.0), Optional.empty()).passed());
    }

    @Test
    void rejectsWithEveryMeasureThatFellAndItsBaseline() {
        Guardrail.Verdict verdict = guardrail.judge(Map.of(CheckpointMetrics.IMAGE_TO_TEXT_R5, 0.30,
                CheckpointMetrics.TEXT_TO_IMAGE_R5, 0.38, CheckpointMetrics.EVAL_LOSS, 2.2,
                CheckpointMetrics.zeroShot("emoji", 1), 0.16), Optional.of(baseline));
        assertEquals(CheckpointStatus.REJECTED, verdict.status());
        assertTrue(verdict.reason().contains("image_to_text_recall_at_5 fell to 0.3000 from 0.4000 of version 4"),
                verdict.reason());
        assertTrue(verdict.reason().contains("eval_loss rose to 2.2000 from 2.0000 of version 4 (tolerance +5%)"),
                verdict.reason());
        assertTrue(verdict.reason().contains("zero_shot_emoji_top1 fell to 0.1600"), verdict.reason());
        assertTrue(!verdict.reason().contains("text_to_image"), verdict.reason());
    }

    @Test
    void aNonFiniteMeasureIsRejectedAndANewSuiteIsNotCompared() {
        Guardrail.Verdict nan = guardrail.judge(Map.of(CheckpointMetrics.EVAL_LOSS, Double.NaN), Optional.empty());
        assertEquals(CheckpointStatus.REJECTED, nan.status());
        assertTrue(nan.reason().contains("eval_loss is NaN"), nan.reason());
        assertTrue(guardrail.judge(Map.of(CheckpointMetrics.zeroShot("new", 1), 0.0), Optional.of(baseline)).passed());
    }
}
