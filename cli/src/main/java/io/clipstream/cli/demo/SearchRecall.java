package io.clipstream.cli.demo;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Text → image recall@k over the classified images, through the search service: for each distinct true label, the
 * label alone as the query; a hit when one of the {@code k} images found has that label. Chance is what {@code k}
 * images drawn at random would score.
 *
 * @param queries  labels queried
 * @param hits     queries with an image of their label among the results
 * @param indexed  images the version held when queried
 * @param expected images the demo classified (all of them should be indexed)
 * @param chance   the mean over queries of the probability that k random images include one of the label's
 */
record SearchRecall(int k, int queries, int hits, long indexed, long expected, double chance) {

    double recall() {
        return queries == 0 ? 0 : hits / (double) queries;
    }

    /**
     * @param trueLabels image id → true label of the images indexed
     * @param search     (query, k) → image ids found, best first
     */
    static SearchRecall measure(Map<String, String> trueLabels, int k, long indexed,
            BiFunction<String, Integer, List<String>> search) {
        Set<String> labels = new LinkedHashSet<>(trueLabels.values());
        int hits = 0;
        double chance = 0;
        int population = trueLabels.size();
        for (String label : labels) {
            List<String> found = search.apply(label, k);
            if (found.stream().anyMatch(id -> label.equals(trueLabels.get(id)))) {
                hits++;
            }
            long relevant = trueLabels.values().stream().filter(label::equals).count();
            chance += 1 - missAll(population, relevant, Math.min(k, population));
        }
        return new SearchRecall(k, labels.size(), hits, indexed, trueLabels.size(),
                labels.isEmpty() ? 0 : chance / labels.size());
    }

    /** The probability that {@code draws} images drawn without replacement from {@code population} miss all {@code relevant}. */
    private static double missAll(int population, long relevant, int draws) {
        double p = 1;
        for (int i = 0; i < draws; i++) {
            p *= (population - relevant - i) / (double) (population - i);
            if (p <= 0) {
                return 0;
            }
        }
        return p;
    }
}
