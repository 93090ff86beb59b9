package io.clipstream.classifier.api;

import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A label set as the HTTP API shows it. */
public record LabelSetView(String id, long revision, List<LabelView> labels, List<String> templates, int topK,
        Float minProbability, Map<String, String> attributeFilter, boolean enabled, Instant updatedTime) {

    public record LabelView(String name, List<String> prompts) {
    }

    public static LabelSetView of(LabelSet set) {
        return new LabelSetView(set.getId(), set.getRevision(),
                set.getLabels().stream().map(LabelSetView::label).toList(), List.copyOf(set.getTemplates()),
                set.getTopK(), set.getMinProbability(), Map.copyOf(set.getAttributeFilter()), set.getEnabled(),
                set.getUpdatedTime());
    }

    private static LabelView label(Label label) {
        return new LabelView(label.getName(), List.copyOf(label.getPrompts()));
    }
}
