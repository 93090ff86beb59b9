package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPlanTest {

    private static EmojiCorpus emoji() throws IOException {
        return EmojiCorpus.open(EmojiCorpusTest.fixture());
    }

    @Test
    void trainsOnEveryGooglePairAndClassifiesTheTwitterImagesOfTheChosenLabels() throws IOException {
        EmojiCorpus corpus = emoji();
        DemoPlan plan = DemoPlan.of(corpus, 100, null, 7);

        assertEquals(100, plan.labels().size());
        assertEquals(100, new HashSet<>(plan.labels()).size());
        assertEquals(plan.labels().stream().sorted().toList(), plan.labels());
        assertTrue(plan.crossStyle());

        assertEquals(1906, plan.trainPairs().size());
        assertEquals(new HashSet<>(corpus.concepts()),
                plan.trainPairs().stream().map(EmojiCorpus.Drawing::concept).collect(Collectors.toSet()), "every pair, once");
        assertTrue(plan.trainPairs().stream().allMatch(d -> d.style().equals("google")));
        assertNotEquals(corpus.concepts(), plan.trainPairs().stream().map(EmojiCorpus.Drawing::concept).toList(),
                "shuffled, so that batches mix concepts");

        assertEquals(100, plan.testImages().size());
        for (DemoPlan.TestImage image : plan.testImages()) {
            assertEquals(EmojiCorpusTest.fixture().resolve("twitter").resolve(image.imageId() + ".png"), image.file());
            EmojiCorpus.Concept concept = corpus.concepts().stream()
                    .filter(c -> c.id().equals(image.imageId())).findFirst().orElseThrow();
            assertEquals(concept.label(), image.trueLabel());
        }
        assertEquals(new HashSet<>(plan.labels()),
                plan.testImages().stream().map(DemoPlan.TestImage::trueLabel).collect(Collectors.toSet()));
    }

    @Test
    void theValidationSuiteIsTheClassifiedStyleOfOtherConcepts() throws IOException {
        DemoPlan plan = DemoPlan.of(emoji(), 100, null, 7);
        assertEquals(100, plan.validationImages().size());
        Set<String> labels = plan.validationImages().stream().map(DemoPlan.TestImage::trueLabel)
                .collect(Collectors.toSet());
        assertEquals(100, labels.size(), "one image per label");
        assertTrue(labels.stream().noneMatch(plan.labels()::contains), "never a label the summary scores");
        assertTrue(plan.validationImages().stream()
                .allMatch(image -> image.file().getParent().endsWith("twitter")), "the style classified");
    }

    @Test
    void severalDrawsKeepTheFirstAndClassifyEveryDrawsImages() throws IOException {
        EmojiCorpus corpus = emoji();
        DemoPlan one = DemoPlan.of(corpus, 100, null, 7);
        DemoPlan five = DemoPlan.of(corpus, 100, null, 7, 5);
        assertEquals(one.labels(), five.labels(), "the first draw is the single-draw plan's");
        assertEquals(5, five.draws().size());
        assertEquals(5, five.draws().stream().distinct().count(), "each draw its own");
        Set<String> union = five.draws().stream().flatMap(List::stream).collect(Collectors.toSet());
        assertEquals(union, five.testImages().stream().map(DemoPlan.TestImage::trueLabel).collect(Collectors.toSet()));
        assertTrue(five.validationImages().stream().noneMatch(image -> union.contains(image.trueLabel())));
        assertEquals(five, DemoPlan.of(corpus, 100, null, 7, 5), "repeatable");
        assertThrows(DemoFailure.class, () -> DemoPlan.of(corpus, 100, null, 7, 0));
    }

    @Test
    void theSeedRepeatsOrChangesTheChoice() throws IOException {
        EmojiCorpus corpus = emoji();
        assertEquals(DemoPlan.of(corpus, 20, null, 1), DemoPlan.of(corpus, 20, null, 1));
        assertNotEquals(DemoPlan.of(corpus, 20, null, 1).labels(), DemoPlan.of(corpus, 20, null, 2).labels());
    }

    @Test
    void aPairLimitKeepsTheChosenConceptsFirst() throws IOException {
        EmojiCorpus corpus = emoji();
        DemoPlan plan = DemoPlan.of(corpus, 50, 120, 7);
        assertEquals(120, plan.trainPairs().size());
        Set<String> trainedLabels = plan.trainPairs().stream().map(d -> d.concept().label())
                .collect(Collectors.toSet());
        assertTrue(trainedLabels.containsAll(plan.labels()), "every label is seen in training");

        DemoPlan tight = DemoPlan.of(corpus, 50, 30, 7);
        assertEquals(30, tight.trainPairs().size());
        assertTrue(tight.trainPairs().stream().allMatch(d -> tight.labels().contains(d.concept().label())));
    }

    @Test
    void refusesImpossibleChoices() throws IOException {
        EmojiCorpus corpus = emoji();
        assertTrue(assertThrows(DemoFailure.class, () -> DemoPlan.of(corpus, 5000, null, 7)).getMessage()
                .contains("only 1906"));
        assertThrows(DemoFailure.class, () -> DemoPlan.of(corpus, 1, null, 7));
        assertThrows(DemoFailure.class, () -> DemoPlan.of(corpus, 10, 0, 7));
    }

    @Test
    void withOneStyleEveryImageOfAChosenCaptionIsClassified(@TempDir Path dir) throws IOException {
        String[][] images = {{"a1", "a red square"}, {"a2", "a red square"}, {"b1", "a blue circle"},
                {"c1", "a green line"}};
        for (int i = 0; i < images.length; i++) {
            Files.write(dir.resolve(images[i][0] + ".png"), TestImages.png(16, 16, i));
            Files.writeString(dir.resolve(images[i][0] + ".txt"), images[i][1]);
        }
        EmojiCorpus corpus = EmojiCorpus.open(dir);
        DemoPlan plan = DemoPlan.of(corpus, 3, null, 7);
        assertEquals(List.of("a blue circle", "a green line", "a red square"), plan.labels());
        assertEquals(4, plan.testImages().size());
        assertEquals(Set.of(dir.resolve("a1.png"), dir.resolve("a2.png"), dir.resolve("b1.png"), dir.resolve("c1.png")),
                plan.testImages().stream().map(DemoPlan.TestImage::file).collect(Collectors.toSet()));
        assertEquals(false, plan.crossStyle());
        assertThrows(DemoFailure.class, () -> DemoPlan.of(corpus, 4, null, 7), "only three distinct captions");
    }
}
