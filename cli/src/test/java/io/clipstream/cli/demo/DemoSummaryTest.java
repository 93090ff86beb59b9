package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.cli.demo.DemoSummary.ClassifiedImage;
import io.clipstream.cli.demo.DemoSummary.ImageCounts;
import io.clipstream.cli.demo.DemoSummary.PairCounts;
import io.clipstream.cli.demo.DemoSummary.Training;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {

    private static final PairCounts PAIRS = new PairCounts(1906, 1900, 6);
    private static final Training TRAINING = new Training(600, 2.3456, "3");

    private static ClassifiedImage image(String truth, long latency, String... ranked) {
        return new ClassifiedImage("img-" + truth, truth, List.of(ranked), "3", latency);
    }

    private static DemoSummary summary(int labels, List<ClassifiedImage> images) {
        return new DemoSummary(PAIRS, TRAINING, labels, images, new ImageCounts(images.size(), 0, 0), true);
    }

    @Test
    void scoresTopOneAndTopFiveAgainstTheTrueLabels() {
        DemoSummary summary = summary(10, List.of(
                image("a", 40, "a", "b", "c", "d", "e"),      // top-1
                image("b", 10, "c", "d", "b", "e", "f"),      // rank 3: top-5
                image("c", 30, "a", "b", "d", "e", "f"),      // not in the top 5
                image("d", 20, "a", "b", "c", "e", "f")));    // not in the top 5
        assertEquals(0.25, summary.top1());
        assertEquals(0.5, summary.top5());
        assertEquals(0.1, summary.chance());
        assertEquals(0.5, summary.chanceTop5());
    }

    @Test
    void onlyTheFirstFiveRanksCount() {
        DemoSummary summary = summary(10, List.of(image("f", 1, "a", "b", "c", "d", "e", "f")));
        assertEquals(0.0, summary.top5(), "rank 6 is outside the top 5");
    }

    @Test
    void chanceOfTopFiveIsCertainAmongFiveOrFewerLabels() {
        assertEquals(1.0, summary(3, List.of(image("a", 1, "b", "c", "a"))).chanceTop5());
        assertEquals(1.0 / 3, summary(3, List.of(image("a", 1, "b", "c", "a"))).chance(), 1e-12);
        assertEquals(0.05, summary(100, List.of(image("a", 1, "a"))).chanceTop5(), 1e-12);
    }

    @Test
    void latencyPercentilesAreNearestRank() {
        DemoSummary four = summary(10, List.of(image("a", 40, "a"), image("b", 10, "b"), image("c", 30, "c"),
                image("d", 20, "d")));
        assertEquals(20, four.latencyPercentile(0.50));
        assertEquals(40, four.latencyPercentile(0.99));
        assertEquals(10, four.latencyPercentile(0.01));

        List<ClassifiedImage> hundred = new ArrayList<>();
        IntStream.rangeClosed(1, 100).forEach(ms -> hundred.add(image("x" + ms, 101 - ms, "x" + ms)));
        DemoSummary many = summary(100, hundred);
        assertEquals(50, many.latencyPercentile(0.50));
        assertEquals(99, many.latencyPercentile(0.99));
        assertEquals(100, many.latencyPercentile(1.0));
        assertThrows(IllegalArgumentException.class, () -> many.latencyPercentile(0));
    }

    @Test
    void endsWithTheMachineReadableLine() {
        List<ClassifiedImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String truth = "label" + i;
            images.add(i < 2 ? image(truth, 41, truth, "other") : i < 4 ? image(truth, 41, "other", truth)
                    : image(truth, 180, "other"));
        }
        DemoSummary summary = summary(100, images);
        String expected = "demo: top1=0.250 top5=0.500 chance=0.010 labels=100 images=8 p50_ms=41 p99_ms=180 checkpoint=3";
        assertEquals(expected, summary.machineLine());
        List<String> lines = summary.lines();
        assertEquals(expected, lines.get(lines.size() - 1));
        assertTrue(lines.stream().anyMatch(l -> l.contains("1906 published, 1900 ingested, 6 rejected")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("neither topic")), "all pairs accounted for");
        assertTrue(lines.stream().anyMatch(l -> l.contains("600 steps, loss 2.3456, checkpoint 3")), lines.toString());
    }

    @Test
    void saysWhatItCannotVouchFor() {
        List<ClassifiedImage> images = List.of(image("a", 5, "a"),
                new ClassifiedImage("img-b", "b", List.of("b"), "2", 5));
        DemoSummary oneStyle = new DemoSummary(new PairCounts(1906, 1892, 0), new Training(600, null, "3"), 10, images,
                new ImageCounts(3, 1, 0), false);
        assertEquals(1, oneStyle.otherModelVersions());
        String text = String.join("\n", oneStyle.lines());
        assertTrue(text.contains("loss (not reported)"), text);
        assertTrue(text.contains("14 on neither topic yet (still in ingest when training was done)"), text);
        assertTrue(text.contains("1 classified by a model version other than 3"), text);
        assertTrue(text.contains("fit, not generalisation"), text);
        assertTrue(text.contains("3 published, 2 classified, 1 rejected, 0 missing"), text);
    }

    @Test
    void nothingClassifiedIsAFailureNotAScore() {
        assertThrows(DemoFailure.class, () -> summary(10, List.of()));
    }

    @Test
    void withPromptVariantsTheEnsembleIsTheHeadlineAndEachVariantIsListed() {
        List<PromptVariant> variants = PromptVariant.of("an emoji of {}.");
        List<DrawScores.VariantScore> prompts = List.of(
                new DrawScores.VariantScore(variants.get(0), 5, 0.2, 0.012, 0.45, 0.02),
                new DrawScores.VariantScore(variants.get(1), 5, 0.15, 0.01, 0.4, 0.02),
                new DrawScores.VariantScore(variants.get(2), 5, 0.22, 0.011, 0.5, 0.021));
        List<ClassifiedImage> images = List.of(image("a", 40, "a"), image("b", 50, "a"));
        DemoSummary summary = new DemoSummary(PAIRS, TRAINING, 100, images, new ImageCounts(2, 0, 0), true, prompts);
        assertEquals(0.22, summary.top1());
        assertEquals("demo: top1=0.220 top5=0.500 chance=0.010 labels=100 images=2 p50_ms=40 p99_ms=50 checkpoint=3 "
                + "draws=5 top1_se=0.011 top1_bare=0.200 top1_template=0.150", summary.machineLine());
        List<String> lines = summary.lines();
        assertTrue(lines.contains("accuracy   top-1 0.220 ± 0.011, top-5 0.500 ± 0.021 with the ensemble of 6 templates "
                + "(mean ± standard error over 5 draws of 100 labels; chance 0.010 / 0.050)"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("prompts    \"{}\"") && l.contains("top-1 0.200 ± 0.012")),
                String.join("\n", lines));
    }

    @Test
    void searchRecallIsALineAndEndsTheMachineLine() {
        List<ClassifiedImage> images = List.of(image("a", 40, "a"), image("b", 50, "a"));
        SearchRecall recall = new SearchRecall(5, 4, 3, 9, 10, 0.5);
        DemoSummary summary = summary(10, images).withSearch(recall);
        assertTrue(summary.machineLine().endsWith(" checkpoint=3 search_r5=0.750 search_queries=4"),
                summary.machineLine());
        assertTrue(summary.lines().contains("search     text → image recall@5 0.750 (chance 0.500): 3 of 4 labels found "
                + "among 9 indexed images by the label alone (10 classified: 1 not indexed in time)"),
                String.join("\n", summary.lines()));
    }

    @Test
    void searchRecallCountsALabelFoundWhenAnyOfItsImagesIsAmongTheResults() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cat-1", "cat");
        labels.put("cat-2", "cat");
        labels.put("dog-1", "dog");
        labels.put("owl-1", "owl");
        Map<String, List<String>> answers = Map.of(
                "cat", List.of("dog-1", "cat-2"),
                "dog", List.of("owl-1", "cat-1"),
                "owl", List.of("owl-1", "dog-1"));
        List<String> asked = new ArrayList<>();
        SearchRecall recall = SearchRecall.measure(labels, 2, 4, (text, k) -> {
            asked.add(text + "/" + k);
            return answers.get(text);
        });
        assertEquals(List.of("cat/2", "dog/2", "owl/2"), asked, "each distinct label once, with k");
        assertEquals(3, recall.queries());
        assertEquals(2, recall.hits());
        assertEquals(2 / 3.0, recall.recall(), 1e-12);
        // Two images of four drawn at random: cat (2 of 4) is missed with probability 2/4 * 1/3, dog and owl (1 of 4)
        // with 3/4 * 2/3.
        assertEquals(((1 - 1 / 6.0) + 2 * (1 - 1 / 2.0)) / 3, recall.chance(), 1e-12);
    }
}
