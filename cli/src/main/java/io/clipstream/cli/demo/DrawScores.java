package io.clipstream.cli.demo;

import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Zero-shot accuracy over several draws of labels and several ways of prompting them. Each (draw, prompt variant)
 * is a label set of its own; an image is scored under every set whose draw holds its true label. The mean over
 * draws comes with its standard error (the spread of the draws' accuracies over √draws), so that a difference
 * between prompt variants can be told from the luck of one draw.
 */
final class DrawScores {

    private static final AvroSerde<Classification> CLASSIFICATION = AvroSerde.of(Classification.class);

    /** One variant's accuracy: mean over draws and its standard error (0 with one draw). */
    record VariantScore(PromptVariant variant, int draws, double top1, double top1Error, double top5,
            double top5Error) {
    }

    private record Cell(int draw, PromptVariant variant) {
    }

    private final List<Set<String>> drawLabels;
    private final List<PromptVariant> variants;
    private final Map<String, String> trueLabels;
    private final int topK;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    /** Label set id → image id → [top-1 hit, top-k hit]. */
    private final Map<String, Map<String, boolean[]>> hits = new HashMap<>();

    /**
     * @param draws      each draw's labels
     * @param trueLabels image id → its true label, for every image published
     */
    DrawScores(List<List<String>> draws, List<PromptVariant> variants, Map<String, String> trueLabels, int topK) {
        this.drawLabels = draws.stream().<Set<String>>map(HashSet::new).toList();
        this.variants = List.copyOf(variants);
        this.trueLabels = Map.copyOf(trueLabels);
        this.topK = topK;
        for (int d = 0; d < draws.size(); d++) {
            for (PromptVariant variant : variants) {
                cells.put(labelSetId(d, variant), new Cell(d, variant));
            }
        }
    }

    /** {@code demo-1-ensemble}: draws count from 1. */
    static String labelSetId(int draw, PromptVariant variant) {
        return DemoRun.LABEL_SET_ID + "-" + (draw + 1) + "-" + variant.name();
    }

    /** Takes a record of the classifications topic; the first result per (set, image) counts. */
    void accept(byte[] value) {
        Classification result = CLASSIFICATION.decode(value);
        Cell cell = cells.get(result.getLabelSetId());
        String truth = trueLabels.get(result.getImageId());
        if (cell == null || truth == null || !drawLabels.get(cell.draw()).contains(truth)) {
            return;
        }
        List<String> ranked = result.getLabels().stream().map(ScoredLabel::getLabel).toList();
        hits.computeIfAbsent(result.getLabelSetId(), id -> new HashMap<>()).putIfAbsent(result.getImageId(),
                new boolean[] {!ranked.isEmpty() && ranked.getFirst().equals(truth),
                        ranked.subList(0, Math.min(topK, ranked.size())).contains(truth)});
    }

    /** Results expected: one per set and image of its draw among {@code imageIds}. */
    long expected(Set<String> imageIds) {
        long expected = 0;
        for (Cell cell : cells.values()) {
            expected += imageIds.stream().filter(id -> drawLabels.get(cell.draw()).contains(trueLabels.get(id)))
                    .count();
        }
        return expected;
    }

    long received() {
        return hits.values().stream().mapToLong(Map::size).sum();
    }

    /** Per variant, in the order given; draws with no result are left out of its mean. */
    List<VariantScore> scores() {
        List<VariantScore> scores = new ArrayList<>();
        for (PromptVariant variant : variants) {
            List<Double> top1 = new ArrayList<>();
            List<Double> top5 = new ArrayList<>();
            cells.forEach((id, cell) -> {
                Map<String, boolean[]> results = hits.get(id);
                if (cell.variant().equals(variant) && results != null && !results.isEmpty()) {
                    top1.add(results.values().stream().filter(h -> h[0]).count() / (double) results.size());
                    top5.add(results.values().stream().filter(h -> h[1]).count() / (double) results.size());
                }
            });
            if (!top1.isEmpty()) {
                scores.add(new VariantScore(variant, top1.size(), mean(top1), standardError(top1), mean(top5),
                        standardError(top5)));
            }
        }
        return scores;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The sample standard deviation over √n; 0 for a single value. */
    static double standardError(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
    }
}
