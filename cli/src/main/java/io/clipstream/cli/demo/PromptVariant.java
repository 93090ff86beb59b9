package io.clipstream.cli.demo;

import java.util.List;

/**
 * One way of turning a label into the classifier's prompts, compared with the others in every draw: the label alone,
 * one template, or an ensemble of templates whose text embeddings the classifier averages, as in the CLIP paper.
 *
 * @param name      a short name: label-set ids and the summary use it
 * @param templates prompt templates, {@code {}} standing for the label
 */
public record PromptVariant(String name, List<String> templates) {

    /** The label alone: every caption the model read begins with it. */
    static final PromptVariant BARE = new PromptVariant("bare", List.of("{}"));

    /**
     * Templates a user would write for emoji. None is a phrasing the trainer's caption mix uses, so that they test
     * phrasing the model learnt to read, not sentences it learnt by heart.
     */
    static final List<String> ENSEMBLE_TEMPLATES = List.of("{}", "an emoji of {}.", "a drawing of {}.",
            "an icon of {}.", "a cartoon of {}.", "a sticker of {}.");

    public PromptVariant {
        templates = List.copyOf(templates);
        if (templates.isEmpty() || templates.stream().anyMatch(t -> !t.contains("{}"))) {
            throw new DemoFailure("A prompt template needs {} for the label: " + templates);
        }
    }

    /** The three variants of a run: the label alone, {@code template} alone, and the ensemble. */
    static List<PromptVariant> of(String template) {
        return List.of(BARE, new PromptVariant("template", List.of(template)),
                new PromptVariant("ensemble", ENSEMBLE_TEMPLATES));
    }

    /** How the summary names it: {@code "{}"}, {@code "an emoji of {}."}, {@code ensemble of 6 templates}. */
    String describe() {
        return templates.size() == 1 ? "\"" + templates.getFirst() + "\"" : "ensemble of " + templates.size()
                + " templates";
    }
}
