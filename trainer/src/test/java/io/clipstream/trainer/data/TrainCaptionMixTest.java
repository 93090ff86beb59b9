package io.clipstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainCaptionMixTest {

    private static final Map<String, String> GRINNING = Map.of("label", "grinning face", "keywords", "face, grin");
    private static final String WITH_KEYWORDS = "grinning face — face, grin";
    private static final List<String> EVALUATION_TEMPLATES = List.of("an emoji of {}.", "a drawing of {}.",
            "an icon of {}.", "a cartoon of {}.", "a sticker of {}.", "a photo of a {}.");

    private final CaptionMix defaults = new CaptionMix(CaptionMix.Settings.defaults(), 1);

    @Test
    void offTheCaptionIsTheOneSent() {
        CaptionMix off = new CaptionMix(CaptionMix.Settings.disabled(), 1);
        for (long step = 0; step < 50; step++) {
            assertEquals("U+1F600", off.caption("p", "U+1F600", GRINNING, step));
        }
        assertEquals(List.of("U+1F600"), off.variants("U+1F600", GRINNING));
        assertEquals("as sent", CaptionMix.off().caption("p", "as sent", GRINNING, 3));
    }

    @Test
    void sharesAreRespectedWithAFixedSeed() {
        CaptionMix mix = new CaptionMix(CaptionMix.Settings.defaults().withShares(2, 1, 1), 42);
        Map<String, Integer> counts = new HashMap<>();
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(kind(mix.caption("pair-" + (i % 400), "sent", GRINNING, i / 400)), 1, Integer::sum);
        }
        // Binomial standard errors are about 0.0025 here: 0.015 is six of them.
        assertEquals(0.50, counts.get("name") / (double) draws, 0.015, counts.toString());
        assertEquals(0.25, counts.get("keywords") / (double) draws, 0.015, counts.toString());
        assertEquals(0.25, counts.get("template") / (double) draws, 0.015, counts.toString());
        assertEquals(draws, counts.values().stream().mapToInt(Integer::intValue).sum(), "never the caption as sent");
    }

    @Test
    void everyTemplateIsUsedAndAZeroShareNever() {
        CaptionMix templatesOnly = new CaptionMix(CaptionMix.Settings.defaults().withShares(0, 0, 1), 5);
        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 500; step++) {
            String caption = templatesOnly.caption("p", "sent", GRINNING, step);
            assertEquals("template", kind(caption), caption);
            seen.add(caption);
        }
        assertEquals(CaptionMix.Settings.DEFAULT_TEMPLATES.stream().map(t -> t.replace("{}", "grinning face"))
                .collect(java.util.stream.Collectors.toSet()), seen);
        assertTrue(seen.contains("grinning face, drawn as an emoji."), seen.toString());
    }

    @Test
    void theDefaultTemplatesAreNotTheEvaluationOnes() {
        for (String template : CaptionMix.Settings.DEFAULT_TEMPLATES) {
            assertTrue(!EVALUATION_TEMPLATES.contains(template), template);
        }
        assertEquals(20, CaptionMix.Settings.DEFAULT_TEMPLATES.size());
        assertEquals(20, Set.copyOf(CaptionMix.Settings.DEFAULT_TEMPLATES).size(), "no template twice");
        CaptionMix.Settings d = CaptionMix.Settings.disabled();
        assertEquals("label", d.nameAttribute());
        assertEquals("keywords", d.keywordsAttribute());
        assertEquals(d.nameShare(), d.keywordsShare());
        assertEquals(d.nameShare(), d.templateShare());
    }

    @Test
    void withoutANameTheCaptionAsSentIsTheName() {
        CaptionMix namesOnly = new CaptionMix(CaptionMix.Settings.defaults().withShares(1, 0, 0), 1);
        assertEquals("sent caption", namesOnly.caption("p", "sent caption", Map.of(), 0));
        assertEquals("sent caption", namesOnly.caption("p", "sent caption", Map.of("label", "  "), 0));
        assertEquals("grinning face", namesOnly.caption("p", "sent caption", GRINNING, 0));
        CaptionMix templatesOnly = new CaptionMix(CaptionMix.Settings.defaults().withShares(0, 0, 1), 1);
        assertTrue(templatesOnly.caption("p", "sent caption", Map.of("keywords", "x"), 7).contains("sent caption"));
    }

    @Test
    void withoutKeywordsTheNameAlone() {
        CaptionMix keywordsOnly = new CaptionMix(CaptionMix.Settings.defaults().withShares(0, 1, 0), 1);
        assertEquals(WITH_KEYWORDS, keywordsOnly.caption("p", "sent", GRINNING, 0));
        assertEquals("grinning face", keywordsOnly.caption("p", "sent", Map.of("label", "grinning face"), 0));
        assertEquals("grinning face",
                keywordsOnly.caption("p", "sent", Map.of("label", "grinning face", "keywords", " , ,"), 0));
        assertEquals("grinning face — face, grin",
                keywordsOnly.caption("p", "sent", Map.of("label", "grinning face", "keywords", " face,,grin "), 0));
        assertEquals("sent — face, grin", keywordsOnly.caption("p", "sent", Map.of("keywords", "face, grin"), 0));
    }

    @Test
    void otherAttributeNamesAreRead() {
        CaptionMix.Settings s = new CaptionMix.Settings(true, "name", "tags", List.of("look: {}!"), 0, 1, 1);
        CaptionMix mix = new CaptionMix(s, 3);
        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 100; step++) {
            seen.add(mix.caption("p", "sent", Map.of("name", "cat", "tags", "pet"), step));
        }
        assertEquals(Set.of("cat — pet", "look: cat!"), seen);
    }

    @Test
    void theDrawRepeatsAndDiffersAcrossPassesAndSeeds() {
        CaptionMix again = new CaptionMix(CaptionMix.Settings.defaults(), 1);
        CaptionMix otherSeed = new CaptionMix(CaptionMix.Settings.defaults(), 2);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> seeded = new ArrayList<>();
        Set<String> onePairAcrossSteps = new HashSet<>();
        for (int step = 0; step < 1000; step++) {
            first.add(defaults.caption("pair-" + step % 7, "sent", GRINNING, step));
            second.add(again.caption("pair-" + step % 7, "sent", GRINNING, step));
            seeded.add(otherSeed.caption("pair-" + step % 7, "sent", GRINNING, step));
            onePairAcrossSteps.add(defaults.caption("pair-1", "sent", GRINNING, step));
        }
        assertEquals(first, second, "the same seed, pairs and steps: the same captions");
        assertNotEquals(first, seeded, "another seed draws otherwise");
        assertEquals(2 + CaptionMix.Settings.DEFAULT_TEMPLATES.size(), onePairAcrossSteps.size(),
                "over passes one pair sees every phrasing: " + onePairAcrossSteps);
        Set<String> oneStepAcrossPairs = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            oneStepAcrossPairs.add(defaults.caption("pair-" + i, "sent", GRINNING, 9));
        }
        assertEquals(2 + CaptionMix.Settings.DEFAULT_TEMPLATES.size(), oneStepAcrossPairs.size(),
                "in one batch pairs draw apart: " + oneStepAcrossPairs);
    }

    @Test
    void variantsAreEveryPhrasingOnceWithTheCaptionAsSentFirst() {
        List<String> grinning = defaults.variants("U+1F600", GRINNING);
        assertEquals(List.of("U+1F600", "grinning face", WITH_KEYWORDS, "a picture of grinning face.",
                "grinning face, drawn as an emoji.", "an icon showing grinning face."), grinning.subList(0, 6));
        assertEquals(3 + CaptionMix.Settings.DEFAULT_TEMPLATES.size(), grinning.size());
        assertEquals("here is grinning face.", grinning.getLast());
        List<String> cat = defaults.variants("cat", Map.of());
        assertEquals(List.of("cat", "a picture of cat.", "cat, drawn as an emoji."), cat.subList(0, 3),
                "without a name attribute the caption is the name, without keywords the name alone");
        assertEquals(1 + CaptionMix.Settings.DEFAULT_TEMPLATES.size(), cat.size());
    }

    @Test
    void aMixThatCannotBeDrawnFromIsRefusedWithTheProperty() {
        List<String> t = CaptionMix.Settings.DEFAULT_TEMPLATES;
        assertMessage("clipstream.trainer.caption-mix.name-share must be a finite number >= 0, was -1.0",
                () -> new CaptionMix.Settings(true, "label", "keywords", t, -1, 1, 1));
        assertMessage("clipstream.trainer.caption-mix.keywords-share must be a finite number >= 0, was NaN",
                () -> new CaptionMix.Settings(true, "label", "keywords", t, 1, Double.NaN, 1));
        assertMessage("clipstream.trainer.caption-mix.template-share must be a finite number >= 0, was Infinity",
                () -> new CaptionMix.Settings(true, "label", "keywords", t, 1, 1, Double.POSITIVE_INFINITY));
        assertMessage("clipstream.trainer.caption-mix.name-share, keywords-share and template-share must not all be 0",
                () -> new CaptionMix.Settings(true, "label", "keywords", t, 0, 0, 0));
        assertMessage("clipstream.trainer.caption-mix.templates[1] \"a photo\" has no {} for the name",
                () -> new CaptionMix.Settings(true, "label", "keywords", List.of("{} here", "a photo"), 1, 1, 1));
        assertMessage("clipstream.trainer.caption-mix.templates is empty but template-share is 1.0",
                () -> new CaptionMix.Settings(true, "label", "keywords", List.of(), 1, 1, 1));
        // Refused off as well: turning it on later must not be what reveals the mistake.
        assertMessage("all be 0", () -> new CaptionMix.Settings(false, "label", "keywords", t, 0, 0, 0));
        // No templates are fine when none are drawn.
        new CaptionMix.Settings(true, "label", "keywords", List.of(), 1, 1, 0);
    }

    private static void assertMessage(String expected, Runnable settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static String kind(String caption) {
        if (caption.equals("grinning face")) {
            return "name";
        }
        if (caption.equals(WITH_KEYWORDS)) {
            return "keywords";
        }
        for (String template : CaptionMix.Settings.DEFAULT_TEMPLATES) {
            if (caption.equals(template.replace("{}", "grinning face"))) {
                return "template";
            }
        }
        return "other: " + caption;
    }
}
