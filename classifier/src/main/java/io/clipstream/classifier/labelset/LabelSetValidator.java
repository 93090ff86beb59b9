package io.clipstream.classifier.labelset;

import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link LabelSetDraft} and turns it into the {@link LabelSet} record for the topic. Every problem is
 * reported at once, so a client fixes its request in one go.
 */
public final class LabelSetValidator {

    /** The CLIP paper's default prompt. */
    public static final String DEFAULT_TEMPLATE = "a photo of a {}.";
    public static final int DEFAULT_TOP_K = 5;
    /** Longer names gain nothing (CLIP reads 77 tokens) and would bloat every classification. */
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_PROMPT_LENGTH = 300;
    /** Ids appear in URLs, record keys and metric tags. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final LabelSetLimits limits;
    private final int maxLabels;

    /** The default caps, with {@code maxLabels} labels. */
    public LabelSetValidator(int maxLabels) {
        this(LabelSetLimits.withMaxLabels(maxLabels));
    }

    public LabelSetValidator(LabelSetLimits limits) {
        this.limits = limits;
        this.maxLabels = limits.maxLabels();
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * @param id       the id from the path
     * @param revision the revision the record gets
     * @throws InvalidLabelSetException listing every problem
     */
    public LabelSet validate(String id, LabelSetDraft draft, long revision, Instant updated) {
        List<String> problems = new ArrayList<>();
        if (!isValidId(id)) {
            problems.add("id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (draft == null) {
            throw new InvalidLabelSetException(List.of("the body is empty: send {\"labels\": [...]}"));
        }
        if (draft.id() != null && !draft.id().equals(id)) {
            problems.add("the body's id '" + draft.id() + "' is not the id in the path '" + id + "'");
        }
        List<Label> labels = labels(draft.labels(), problems);
        List<String> templates = templates(draft.templates(), problems);
        if (templates.size() > limits.maxTemplates()) {
            problems.add("a label set may have at most " + limits.maxTemplates()
                    + " templates (clipstream.classifier.max-templates), this one has " + templates.size());
        }
        int prompts = LabelSetLimits.promptCount(LabelSet.newBuilder().setId("-").setRevision(0).setLabels(labels)
                .setTemplates(templates).setUpdatedTime(updated).build());
        if (prompts > limits.maxPrompts()) {
            problems.add("a label set may have at most " + limits.maxPrompts()
                    + " prompts, labels × templates (clipstream.classifier.max-prompts), this one has " + prompts);
        }
        int topK = draft.topK() == null ? DEFAULT_TOP_K : draft.topK();
        if (topK < 1 || topK > maxLabels) {
            problems.add("topK must be between 1 and " + maxLabels + ", was " + topK);
        }
        Float minProbability = draft.minProbability();
        if (minProbability != null && !(minProbability >= 0f && minProbability <= 1f)) {
            problems.add("minProbability must be between 0 and 1, was " + minProbability);
        }
        Map<String, String> filter = new LinkedHashMap<>();
        if (draft.attributeFilter() != null) {
            draft.attributeFilter().forEach((key, value) -> {
                if (key == null || key.isBlank() || value == null) {
                    problems.add("attributeFilter entries need a non-blank key and a value, got " + key + "=" + value);
                } else {
                    filter.put(key, value);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidLabelSetException(problems);
        }
        return LabelSet.newBuilder()
                .setId(id)
                .setRevision(revision)
                .setLabels(labels)
                .setTemplates(templates)
                .setTopK(topK)
                .setMinProbability(minProbability)
                .setAttributeFilter(filter)
                .setEnabled(draft.enabled() == null || draft.enabled())
                .setUpdatedTime(updated)
                .build();
    }

    private List<Label> labels(List<LabelDraft> drafts, List<String> problems) {
        if (drafts == null || drafts.isEmpty()) {
            problems.add("a label set needs at least one label");
            return List.of();
        }
        if (drafts.size() > maxLabels) {
            problems.add("a label set may have at most " + maxLabels + " labels (clipstream.classifier.max-labels), this one has "
                    + drafts.size());
        }
        List<Label> labels = new ArrayList<>(drafts.size());
        // CLIP's tokenizer lower-cases: "Cat" and "cat" would be one label twice.
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new java.util.LinkedHashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            LabelDraft draft = drafts.get(i);
            String name = draft == null || draft.name() == null ? "" : draft.name().strip();
            if (name.isEmpty()) {
                problems.add("label " + (i + 1) + " has no name");
                continue;
            }
            if (name.length() > MAX_NAME_LENGTH) {
                problems.add("label '" + abbreviated(name) + "' is longer than " + MAX_NAME_LENGTH + " characters");
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                duplicates.add(name);
            }
            if (draft.prompts().size() > limits.maxTemplates()) {
                problems.add("label '" + abbreviated(name) + "' has " + draft.prompts().size() + " prompts, at most "
                        + limits.maxTemplates() + " are allowed (clipstream.classifier.max-templates)");
            }
            List<String> prompts = new ArrayList<>();
            for (String prompt : draft.prompts()) {
                if (prompt == null || prompt.isBlank()) {
                    problems.add("label '" + name + "' has a blank prompt");
                } else if (prompt.length() > MAX_PROMPT_LENGTH) {
                    problems.add("a prompt of label '" + name + "' is longer than " + MAX_PROMPT_LENGTH + " characters");
                } else {
                    prompts.add(prompt.strip());
                }
            }
            labels.add(new Label(name, prompts));
        }
        if (!duplicates.isEmpty()) {
            problems.add("duplicate labels (names are compared ignoring case): " + String.join(", ", duplicates));
        }
        return labels;
    }

    private static String abbreviated(String name) {
        return name.length() <= 40 ? name : name.substring(0, 20) + "…";
    }

    private static List<String> templates(List<String> templates, List<String> problems) {
        if (templates == null) {
            return List.of(DEFAULT_TEMPLATE);
        }
        if (templates.isEmpty()) {
            problems.add("templates must not be empty (leave the field out for the default \"" + DEFAULT_TEMPLATE + "\")");
        }
        List<String> checked = new ArrayList<>(templates.size());
        for (String template : templates) {
            if (template == null || !template.contains("{}")) {
                problems.add("template '" + template + "' has no {} where the label goes");
            } else if (template.length() > MAX_PROMPT_LENGTH) {
                problems.add("a template is longer than " + MAX_PROMPT_LENGTH + " characters");
            } else {
                checked.add(template);
            }
        }
        return checked;
    }
}
