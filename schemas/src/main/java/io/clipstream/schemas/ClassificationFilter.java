package io.clipstream.schemas;

/**
 * What a subscriber wants to see: classifications under one label set, listing one label, with at least a score.
 * {@code minScore} applies to the probability of {@code label} when one is named, else to the most probable label.
 * Each part is optional ({@code null}). The one rule of the classifier's live feed and {@code clipstream
 * classifications subscribe}.
 */
public record ClassificationFilter(String labelSet, String label, Float minScore) {

    public static final ClassificationFilter ALL = new ClassificationFilter(null, null, null);

    public boolean test(Classification classification) {
        if (labelSet != null && !labelSet.equals(classification.getLabelSetId())) {
            return false;
        }
        if (label != null) {
            for (ScoredLabel scored : classification.getLabels()) {
                if (scored.getLabel().equals(label)) {
                    return minScore == null || scored.getProbability() >= minScore;
                }
            }
            return false;
        }
        if (minScore != null) {
            return !classification.getLabels().isEmpty() && classification.getLabels().get(0).getProbability() >= minScore;
        }
        return true;
    }
}
