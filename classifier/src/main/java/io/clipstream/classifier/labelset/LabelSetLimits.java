package io.clipstream.classifier.labelset;

import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How big label sets may be. Every prompt of a set is one pass through the text encoder of every model version it
 * is used with, so a set's cost is its prompt count (labels × templates, or the labels' own prompts); every set is
 * one entry per model version in the label embedding cache, so their number is capped too. The API refuses a set
 * over a cap (400); a set read from the topic over a cap (written by something else) is refused by the classifier
 * as if absent ({@link #admit}).
 *
 * @param maxLabels    labels per set ({@code clipstream.classifier.max-labels})
 * @param maxTemplates templates per set, and own prompts per label ({@code clipstream.classifier.max-templates})
 * @param maxPrompts   prompts per set, all labels together ({@code clipstream.classifier.max-prompts})
 * @param maxLabelSets label sets in all ({@code clipstream.classifier.max-label-sets})
 */
public record LabelSetLimits(int maxLabels, int maxTemplates, int maxPrompts, int maxLabelSets) {

    public static final int DEFAULT_MAX_LABELS = 1000;
    public static final int DEFAULT_MAX_TEMPLATES = 100;
    public static final int DEFAULT_MAX_PROMPTS = 4_000;
    public static final int DEFAULT_MAX_LABEL_SETS = 100;

    public LabelSetLimits {
        if (maxLabels < 1 || maxTemplates < 1 || maxPrompts < 1 || maxLabelSets < 1) {
            throw new IllegalArgumentException("label-set limits must be at least 1: max-labels " + maxLabels
                    + ", max-templates " + maxTemplates + ", max-prompts " + maxPrompts + ", max-label-sets "
                    + maxLabelSets);
        }
    }

    /** The defaults, with {@code maxLabels} labels. */
    public static LabelSetLimits withMaxLabels(int maxLabels) {
        return new LabelSetLimits(maxLabels, DEFAULT_MAX_TEMPLATES, DEFAULT_MAX_PROMPTS, DEFAULT_MAX_LABEL_SETS);
    }

    /** The prompts a set makes the text encoder read (as {@link LabelSets#prompts} builds them). */
    public static int promptCount(LabelSet set) {
        int templates = Math.max(1, set.getTemplates().size()); // none: the paper's default stands in
        long count = 0;
        for (Label label : set.getLabels()) {
            count += label.getPrompts().isEmpty() ? templates : label.getPrompts().size();
        }
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** What is over a cap in a set (as read from the topic), naming the cap; empty when it is within all of them. */
    public List<String> problems(LabelSet set) {
        List<String> problems = new ArrayList<>();
        if (set.getLabels().size() > maxLabels) {
            problems.add(set.getLabels().size() + " labels, more than max-labels " + maxLabels);
        }
        if (set.getTemplates().size() > maxTemplates) {
            problems.add(set.getTemplates().size() + " templates, more than max-templates " + maxTemplates);
        }
        for (String template : set.getTemplates()) {
            if (template.length() > LabelSetValidator.MAX_PROMPT_LENGTH) {
                problems.add("a template longer than " + LabelSetValidator.MAX_PROMPT_LENGTH + " characters");
                break;
            }
        }
        for (Label label : set.getLabels()) {
            if (label.getName().length() > LabelSetValidator.MAX_NAME_LENGTH) {
                problems.add("a label name longer than " + LabelSetValidator.MAX_NAME_LENGTH + " characters");
                break;
            }
        }
        for (Label label : set.getLabels()) {
            if (label.getPrompts().size() > maxTemplates) {
                problems.add("a label with " + label.getPrompts().size() + " prompts, more than max-templates "
                        + maxTemplates);
                break;
            }
            if (label.getPrompts().stream().anyMatch(p -> p.length() > LabelSetValidator.MAX_PROMPT_LENGTH)) {
                problems.add("a prompt longer than " + LabelSetValidator.MAX_PROMPT_LENGTH + " characters");
                break;
            }
        }
        int prompts = promptCount(set);
        if (prompts > maxPrompts) {
            problems.add(prompts + " prompts, more than max-prompts " + maxPrompts);
        }
        return problems;
    }

    /** The sets a classifier uses, and those it refuses with why. */
    public record Admission(List<LabelSet> admitted, Map<String, String> refused) {
    }

    /**
     * Splits the current sets into those within the caps and the refused: any over a cap, and, beyond
     * {@code max-label-sets}, the rest by id order (the same choice on every instance, whatever order it read them in).
     */
    public Admission admit(List<LabelSet> sets) {
        List<LabelSet> byId = new ArrayList<>(sets);
        byId.sort(Comparator.comparing(LabelSet::getId));
        List<LabelSet> admitted = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (LabelSet set : byId) {
            List<String> problems = problems(set);
            if (!problems.isEmpty()) {
                refused.put(set.getId(), String.join("; ", problems));
            } else if (admitted.size() >= maxLabelSets) {
                refused.put(set.getId(), "more than max-label-sets " + maxLabelSets + " label sets");
            } else {
                admitted.add(set);
            }
        }
        return new Admission(List.copyOf(admitted), refused);
    }
}
