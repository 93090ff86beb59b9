package io.clipstream.cli.classify;

import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ScoredLabel;

/**
 * Which classifications a subscriber prints: one label set, listing one label, at least a probability (of that label
 * when named, else of the best one). The same rule as the classifier's SSE filter; each part optional.
 */
record ClassificationMatch(String labelSet, String label, Float minScore) {

    boolean test(Classification classification) {
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
        return minScore == null
                || !classification.getLabels().isEmpty() && classification.getLabels().get(0).getProbability() >= minScore;
    }
}
