package io.clipstream.cli.checkpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.SourceOffset;
import io.clipstream.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

class LearningCurveTest {

    @Test
    void putsEachMeasureAgainstStepsInStepOrderWithLossesApartFromRates() {
        LearningCurve curve = LearningCurve.of(List.of(
                checkpoint("3", 300, Map.of("train_loss", 1.5, "eval_loss", 2.0, "image_to_text_recall_at_5", 0.4,
                        "zero_shot_emoji_top1", 0.3, "zero_shot_emoji_top5", 0.6)),
                checkpoint("1", 100, Map.of("train_loss", 3.0, "eval_loss", 3.5, "image_to_text_recall_at_5", 0.1)),
                checkpoint("2", 200, Map.of("train_loss", 2.0, "eval_loss", Double.NaN))));

        assertEquals(3, curve.checkpoints());
        assertEquals(100, curve.firstStep());
        assertEquals(300, curve.lastStep());
        assertEquals(List.of("train_loss", "eval_loss"), curve.losses().stream().map(LearningCurve.Series::name).toList());
        assertEquals(List.of(new LearningCurve.Point(100, 3.0), new LearningCurve.Point(200, 2.0),
                new LearningCurve.Point(300, 1.5)), curve.losses().get(0).points());
        assertEquals(List.of(100L, 300L), curve.losses().get(1).points().stream().map(LearningCurve.Point::step).toList(),
                "a NaN is left out, not drawn");
        assertEquals(List.of("image_to_text_recall_at_5", "text_to_image_recall_at_5", "zero_shot_emoji_top1"),
                curve.rates().stream().map(LearningCurve.Series::name).toList(), "top-5 is left out: top-1 is charted");
        assertTrue(curve.rates().get(1).points().isEmpty());
    }

    @Test
    void aResumedRunKeepsTheLaterVersionsFigureAtAStep() {
        LearningCurve curve = LearningCurve.of(List.of(
                checkpoint("2", 100, Map.of("train_loss", 9.0)), checkpoint("10", 100, Map.of("train_loss", 1.0))));
        assertEquals(List.of(new LearningCurve.Point(100, 1.0)), curve.losses().get(0).points());
    }

    @Test
    void checkpointsWithoutMetricsHaveNothingToDraw() {
        assertTrue(LearningCurve.of(List.of(checkpoint("1", 10, Map.of()))).isEmpty());
        assertTrue(LearningCurve.of(List.of()).isEmpty());
    }

    @Test
    void theStepAxisOfOneCheckpointStartsAtZeroInWholeSteps() {
        LearningCurve curve = LearningCurve.of(List.of(checkpoint("1", 150, Map.of("train_loss", 2.1))));
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = LearningCurveChart.chart(curve, "one");
        chart.createBufferedImage(1000, 700); // drawn, so that the axis has chosen its tick size
        XYPlot plot = chart.getXYPlot();
        ValueAxis steps = plot.getDomainAxis();
        assertEquals(0, steps.getLowerBound(), "steps start at 0: " + steps.getRange());
        assertTrue(steps.getUpperBound() >= 150, steps.getRange().toString());
        NumberTickUnit unit = ((NumberAxis) steps).getTickUnit();
        assertEquals(Math.rint(unit.getSize()), unit.getSize(), "whole steps: " + unit);
        assertTrue(unit.getSize() >= 1, unit.toString());
    }

    static Checkpoint checkpoint(String version, long step, Map<String, Double> metrics) {
        return Checkpoint.newBuilder().setVersion(version).setParent(null).setStep(step).setSamplesSeen(step * 32)
                .setSourceOffsets(List.of(new SourceOffset(Topics.PAIRS_NORMALIZED, 0, step)))
                .setArtifactUri("file:/store/" + version + "/").setSha256("ab".repeat(32)).setConfig("{}")
                .setMetrics(metrics).setStatus(CheckpointStatus.PASSED).setStatusReason(null)
                .setCreatedTime(Instant.parse("2026-01-02T03:04:05Z")).setFreshness(null).build();
    }
}
