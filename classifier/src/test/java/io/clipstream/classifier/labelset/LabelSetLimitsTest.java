package io.clipstream.classifier.labelset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The label-set caps as the classifier applies them to sets read from the topic, and as the API applies them. */
class LabelSetLimitsTest {

    private final LabelSetLimits limits = new LabelSetLimits(10, 3, 12, 2);
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private LabelSet set(String id, int labels, int templates) {
        return LabelSet.newBuilder().setId(id).setRevision(1)
                .setLabels(IntStream.range(0, labels).mapToObj(i -> new Label("l" + i, List.of())).toList())
                .setTemplates(IntStream.range(0, templates).mapToObj(i -> "t" + i + " {}").toList())
                .setUpdatedTime(now).build();
    }

    @Test
    void countsPromptsAsTheTextEncoderReadsThem() {
        assertEquals(6, LabelSetLimits.promptCount(set("a", 2, 3)));
        assertEquals(2, LabelSetLimits.promptCount(set("a", 2, 0)), "no templates: the paper's default, one each");
        LabelSet own = set("a", 2, 3);
        own.setLabels(List.of(new Label("cat", List.of("p1 {}", "p2 {}")), new Label("dog", List.of())));
        assertEquals(5, LabelSetLimits.promptCount(own), "own prompts replace the templates");
    }

    @Test
    void namesEachCapASetFromTheTopicIsOver() {
        assertEquals(List.of(), limits.problems(set("ok", 4, 3)));
        assertTrue(limits.problems(set("x", 11, 1)).getFirst().contains("max-labels 10"), limits.problems(set("x", 11, 1)).toString());
        assertTrue(String.join(";", limits.problems(set("x", 1, 4))).contains("max-templates 3"));
        assertTrue(String.join(";", limits.problems(set("x", 5, 3))).contains("15 prompts, more than max-prompts 12"));
        LabelSet manyOwn = set("x", 1, 1);
        manyOwn.setLabels(List.of(new Label("cat", List.of("a", "b", "c", "d"))));
        assertTrue(String.join(";", limits.problems(manyOwn)).contains("4 prompts, more than max-templates 3"));
        LabelSet longName = set("x", 1, 1);
        longName.setLabels(List.of(new Label("n".repeat(201), List.of())));
        assertTrue(String.join(";", limits.problems(longName)).contains("longer than 200"));
    }

    @Test
    void admitsAtMostMaxLabelSetsInIdOrderWhateverOrderTheyCameIn() {
        LabelSetLimits.Admission admission = limits.admit(List.of(set("c", 1, 1), set("big", 11, 1), set("a", 1, 1),
                set("b", 1, 1)));
        assertEquals(List.of("a", "b"), admission.admitted().stream().map(LabelSet::getId).toList());
        assertEquals(List.of("big", "c"), List.copyOf(admission.refused().keySet()));
        assertTrue(admission.refused().get("c").contains("max-label-sets 2"));
        assertTrue(admission.refused().get("big").contains("max-labels"));
        assertEquals(Map.of(), limits.admit(List.of()).refused());
    }
}
