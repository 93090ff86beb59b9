package io.clipstream.classifier.labelset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelSetValidatorTest {

    private final LabelSetValidator validator = new LabelSetValidator(10);
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static LabelSetDraft draft(List<LabelDraft> labels, List<String> templates, Integer topK, Float min) {
        return new LabelSetDraft(null, labels, templates, topK, min, null, null);
    }

    private static List<LabelDraft> names(String... names) {
        return java.util.Arrays.stream(names).map(LabelDraft::named).toList();
    }

    private String problems(String id, LabelSetDraft draft) {
        return assertThrows(InvalidLabelSetException.class, () -> validator.validate(id, draft, 1, now)).getMessage();
    }

    @Test
    void fillsTheDefaultsOfTheSchemaAndThePaper() {
        LabelSet set = validator.validate("pets", draft(names(" cat ", "dog"), null, null, null), 3, now);
        assertEquals("pets", set.getId());
        assertEquals(3L, set.getRevision());
        assertEquals(List.of(new Label("cat", List.of()), new Label("dog", List.of())), set.getLabels());
        assertEquals(List.of("a photo of a {}."), set.getTemplates());
        assertEquals(5, set.getTopK());
        assertNull(set.getMinProbability());
        assertEquals(Map.of(), set.getAttributeFilter());
        assertTrue(set.getEnabled());
        assertEquals(now, set.getUpdatedTime());
    }

    @Test
    void refusesEachKindOfBadSetWithAMessageThatSaysWhat() {
        assertTrue(problems("a", draft(List.of(), null, null, null)).contains("at least one label"));
        assertTrue(problems("a", draft(null, null, null, null)).contains("at least one label"));
        assertTrue(problems("a", draft(names("cat"), List.of("a photo of a cat"), null, null))
                .contains("template 'a photo of a cat' has no {}"));
        assertTrue(problems("a", draft(names("cat"), List.of(), null, null)).contains("templates must not be empty"));
        assertTrue(problems("a", draft(names("cat", "dog", "Cat"), null, null, null))
                .contains("duplicate labels (names are compared ignoring case): Cat"));
        String tooMany = problems("a", draft(IntStream.range(0, 11).mapToObj(i -> LabelDraft.named("l" + i)).toList(),
                null, null, null));
        assertTrue(tooMany.contains("at most 10 labels") && tooMany.contains("has 11"), tooMany);
        assertTrue(problems("a", draft(names("cat"), null, 0, null)).contains("topK must be between 1 and 10, was 0"));
        assertTrue(problems("a", draft(names("cat"), null, 11, null)).contains("topK must be between 1 and 10"));
        assertTrue(problems("a", draft(names("cat"), null, null, 1.5f)).contains("minProbability must be between 0 and 1"));
        assertTrue(problems("a", draft(names("cat"), null, null, Float.NaN)).contains("minProbability"));
        assertTrue(problems("a", draft(names("cat", " "), null, null, null)).contains("label 2 has no name"));
        assertTrue(problems("bad id!", draft(names("cat"), null, null, null)).contains("id 'bad id!'"));
        assertTrue(problems("a", new LabelSetDraft("b", names("cat"), null, null, null, null, null))
                .contains("the body's id 'b' is not the id in the path 'a'"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidLabelSetException e = assertThrows(InvalidLabelSetException.class,
                () -> validator.validate("a", draft(names("cat", "cat"), List.of("no placeholder"), -1, null), 1, now));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void readsLabelsByNameOrWithTheirOwnPromptsAndIgnoresWhatAGetAnswerAdds() throws Exception {
        LabelSetDraft parsed = json.readValue("""
                {"id": "pets", "revision": 7, "updatedTime": "2026-01-01T00:00:00Z",
                 "labels": ["cat", {"name": "dog", "prompts": ["a photo of my {}", "a good boy"]}],
                 "templates": ["a photo of a {}.", "a drawing of a {}."], "topK": 2, "minProbability": 0.2,
                 "attributeFilter": {"camera": "7"}, "enabled": false}
                """, LabelSetDraft.class);
        LabelSet set = validator.validate("pets", parsed, 8, now);
        assertEquals(List.of(new Label("cat", List.of()), new Label("dog", List.of("a photo of my {}", "a good boy"))),
                set.getLabels());
        assertEquals(8L, set.getRevision(), "the revision is the service's, not the body's");
        assertEquals(2, set.getTopK());
        assertEquals(0.2f, set.getMinProbability());
        assertEquals(Map.of("camera", "7"), set.getAttributeFilter());
        assertTrue(!set.getEnabled());
        assertEquals(List.of(List.of("a photo of a cat.", "a drawing of a cat."), List.of("a photo of my dog", "a good boy")),
                LabelSets.prompts(set));
        assertThrows(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
                () -> json.readValue("{\"labels\": [\"cat\"], \"topk\": 3}", LabelSetDraft.class));
    }

    @Test
    void appliesOnlyWhenEnabledAndEveryFilterEntryMatches() {
        LabelSet set = validator.validate("s", new LabelSetDraft(null, names("cat"), null, null, null,
                Map.of("camera", "7", "site", "north"), true), 1, now);
        assertTrue(LabelSets.appliesTo(set, Map.of("camera", "7", "site", "north", "extra", "x")));
        assertTrue(!LabelSets.appliesTo(set, Map.of("camera", "7")));
        assertTrue(!LabelSets.appliesTo(set, Map.of("camera", "8", "site", "north")));
        set.setEnabled(false);
        assertTrue(!LabelSets.appliesTo(set, Map.of("camera", "7", "site", "north")));
    }

    @Test
    void refusesLabelSetBombsNamingTheCap() {
        LabelSetValidator capped = new LabelSetValidator(new LabelSetLimits(100, 3, 20, 5));
        List<String> fourTemplates = List.of("a {}", "b {}", "c {}", "d {}");
        String templates = assertThrows(InvalidLabelSetException.class, () -> capped.validate("x",
                draft(names("cat"), fourTemplates, null, null), 1, now)).getMessage();
        assertTrue(templates.contains("at most 3 templates (clipstream.classifier.max-templates), this one has 4"),
                templates);
        List<LabelDraft> eleven = IntStream.range(0, 11).mapToObj(i -> LabelDraft.named("l" + i)).toList();
        String prompts = assertThrows(InvalidLabelSetException.class, () -> capped.validate("x",
                draft(eleven, List.of("a {}", "b {}"), null, null), 1, now)).getMessage();
        assertTrue(prompts.contains("at most 20 prompts") && prompts.contains("max-prompts") && prompts.contains("has 22"),
                prompts);
        String own = assertThrows(InvalidLabelSetException.class, () -> capped.validate("x",
                draft(List.of(new LabelDraft("cat", fourTemplates)), null, null, null), 1, now)).getMessage();
        assertTrue(own.contains("label 'cat' has 4 prompts, at most 3"), own);
        // Within every cap: 10 labels × 2 templates.
        assertEquals(10, capped.validate("x", draft(eleven.subList(0, 10), List.of("a {}", "b {}"), null, null), 1, now)
                .getLabels().size());
    }
}
