package io.clipstream.cli.checkpoints;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's learning curve: the metrics the trainer put in each checkpoint, against the checkpoint's step. Losses and
 * rates (recalls, zero-shot accuracies) are kept apart because they live on different scales.
 */
public record LearningCurve(List<Series> losses, List<Series> rates, int checkpoints, long firstStep, long lastStep) {

    /** One measure: its value at each step where a checkpoint reported it, in step order. */
    public record Series(String name, List<Point> points) {
    }

    public record Point(long step, double value) {
    }

    static final List<String> LOSSES = List.of(CheckpointMetrics.TRAIN_LOSS, CheckpointMetrics.EVAL_LOSS);
    static final List<String> RECALLS = List.of(CheckpointMetrics.IMAGE_TO_TEXT_R5, CheckpointMetrics.TEXT_TO_IMAGE_R5);

    /**
     * Every checkpoint, rejected ones too (a rejected step is still part of how the run learned). Where two versions
     * reported the same step (a trainer resumed from an older checkpoint), the later version's figure stands.
     */
    public static LearningCurve of(Collection<Checkpoint> checkpoints) {
        List<Checkpoint> ordered = checkpoints.stream()
                .sorted(Comparator.comparingLong(Checkpoint::getStep)
                        .thenComparing(Checkpoint::getVersion, CheckpointLog.VERSION_ORDER))
                .toList();
        TreeSet<String> zeroShot = new TreeSet<>();
        for (Checkpoint c : ordered) {
            for (String name : c.getMetrics().keySet()) {
                if (isZeroShotTop1(name)) {
                    zeroShot.add(name);
                }
            }
        }
        List<String> rateNames = new ArrayList<>(RECALLS);
        rateNames.addAll(zeroShot);
        long first = ordered.isEmpty() ? 0 : ordered.getFirst().getStep();
        long last = ordered.isEmpty() ? 0 : ordered.getLast().getStep();
        return new LearningCurve(series(ordered, LOSSES), series(ordered, rateNames), ordered.size(), first, last);
    }

    /** Whether any measure has at least one point: a topic of checkpoints without metrics has nothing to draw. */
    public boolean isEmpty() {
        return losses.stream().allMatch(s -> s.points().isEmpty()) && rates.stream().allMatch(s -> s.points().isEmpty());
    }

    private static boolean isZeroShotTop1(String name) {
        return name.startsWith("zero_shot_") && name.endsWith("_top1");
    }

    private static List<Series> series(List<Checkpoint> ordered, List<String> names) {
        Map<String, TreeMap<Long, Double>> byName = new LinkedHashMap<>();
        for (String name : names) {
            byName.put(name, new TreeMap<>());
        }
        for (Checkpoint c : ordered) {
            for (String name : names) {
                Double value = c.getMetrics().get(name);
                if (value != null && Double.isFinite(value)) {
                    byName.get(name).put(c.getStep(), value);
                }
            }
        }
        List<Series> result = new ArrayList<>();
        byName.forEach((name, points) -> result.add(new Series(name,
                points.entrySet().stream().map(e -> new Point(e.getKey(), e.getValue())).toList())));
        return result;
    }
}
