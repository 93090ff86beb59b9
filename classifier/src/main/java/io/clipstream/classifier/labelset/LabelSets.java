package io.clipstream.classifier.labelset;

import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a label set means for classification: where it applies and which prompts stand for each label. */
public final class LabelSets {

    private LabelSets() {
    }

    /** Whether the set classifies an image with these attributes: it is enabled and its filter matches. */
    public static boolean appliesTo(LabelSet set, Map<String, String> imageAttributes) {
        if (!set.getEnabled()) {
            return false;
        }
        for (Map.Entry<String, String> wanted : set.getAttributeFilter().entrySet()) {
            if (!wanted.getValue().equals(imageAttributes.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prompts of each label, in label order: the label's own prompts when it has some ({@code {}} in them is
     * replaced by its name too), else every template with the name in place of {@code {}}. A record written to the
     * topic by something other than the API may lack templates: the paper's default stands in.
     */
    public static List<List<String>> prompts(LabelSet set) {
        List<List<String>> prompts = new ArrayList<>(set.getLabels().size());
        for (Label label : set.getLabels()) {
            List<String> sources = !label.getPrompts().isEmpty() ? label.getPrompts()
                    : !set.getTemplates().isEmpty() ? set.getTemplates() : List.of(LabelSetValidator.DEFAULT_TEMPLATE);
            List<String> filled = new ArrayList<>(sources.size());
            for (String source : sources) {
                filled.add(source.replace("{}", label.getName()));
            }
            prompts.add(filled);
        }
        return prompts;
    }

    public static List<String> names(LabelSet set) {
        return set.getLabels().stream().map(Label::getName).toList();
    }
}
