package io.clipstream.classifier.labelset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A label set as a client writes it (the body of {@code PUT /label-sets/{id}} and of the CLI's JSON files). Fields
 * left out take their defaults; the service adds the revision and the update time (a {@code GET} answer can be edited
 * and sent back: its revision and update time are ignored).
 *
 * @param id              optional; when given it must be the id in the path
 * @param labels          the labels, by name or with their own prompts
 * @param templates       prompt templates with {@code {}} for the label (default: the paper's "a photo of a {}.")
 * @param topK            how many labels a classification lists (default 5, at most the number of labels)
 * @param minProbability  labels below this probability are left out of a classification
 * @param attributeFilter the set applies only to images whose attributes contain all these entries
 * @param enabled         a disabled set is kept but classifies nothing (default true)
 */
@JsonIgnoreProperties({"revision", "updatedTime"})
public record LabelSetDraft(String id, List<LabelDraft> labels, List<String> templates, Integer topK,
        Float minProbability, Map<String, String> attributeFilter, Boolean enabled) {
}
