package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrawScoresTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final List<PromptVariant> VARIANTS = PromptVariant.of("an emoji of {}.");

    private static byte[] result(String image, String labelSet, String... ranked) {
        return DemoRecords.classification(image, labelSet, "3", T0, T0.plusMillis(10), ranked);
    }

    @Test
    void scoresEachVariantOverTheDrawsWithAStandardError() {
        List<List<String>> draws = List.of(List.of("ant", "bee"), List.of("bee", "cat"));
        DrawScores scores = new DrawScores(draws, VARIANTS, Map.of("i-ant", "ant", "i-bee", "bee", "i-cat", "cat"), 5);
        assertEquals(3 * (2 + 2), scores.expected(Set.of("i-ant", "i-bee", "i-cat")), "each set, its draw's images");
        assertEquals("demo-2-ensemble", DrawScores.labelSetId(1, VARIANTS.get(2)));

        for (PromptVariant variant : VARIANTS) {
            boolean right = variant.name().equals("ensemble");
            scores.accept(result("i-ant", DrawScores.labelSetId(0, variant), right ? "ant" : "bee", "ant"));
            scores.accept(result("i-bee", DrawScores.labelSetId(0, variant), "bee", "ant"));
            scores.accept(result("i-bee", DrawScores.labelSetId(1, variant), "cat", "bee"));
            scores.accept(result("i-cat", DrawScores.labelSetId(1, variant), "bee", "cat"));
        }
        scores.accept(result("i-cat", DrawScores.labelSetId(0, VARIANTS.get(2)), "cat"));   // not a label of draw 1
        scores.accept(result("i-ant", DrawScores.labelSetId(0, VARIANTS.get(2)), "bee"));   // a redelivery
        scores.accept(result("i-ant", "someone-else", "ant"));
        assertEquals(12, scores.received());

        List<DrawScores.VariantScore> byVariant = scores.scores();
        assertEquals(List.of("bare", "template", "ensemble"), byVariant.stream().map(v -> v.variant().name()).toList());
        DrawScores.VariantScore bare = byVariant.getFirst();
        assertEquals(2, bare.draws());
        assertEquals(0.25, bare.top1(), 1e-9, "draw 1: 1 of 2, draw 2: 0 of 2");
        assertEquals(0.25, bare.top1Error(), 1e-9, "sd 0.3536 over √2");
        assertEquals(1.0, bare.top5(), 1e-9);
        assertEquals(0.0, bare.top5Error(), 1e-9);
        assertEquals(0.5, byVariant.getLast().top1(), 1e-9, "draw 1: 2 of 2, draw 2: 0 of 2");
    }

    @Test
    void oneDrawHasNoErrorToSpeakOf() {
        assertEquals(0.0, DrawScores.standardError(List.of(0.3)));
        assertEquals(0.2, DrawScores.mean(List.of(0.1, 0.3)), 1e-12);
    }
}
