package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiCorpusTest {

    static Path fixture() {
        return Path.of(System.getProperty("clipstream.fixtures"), "emoji");
    }

    @Test
    void readsTheTwoStyleLayout() throws IOException {
        EmojiCorpus corpus = EmojiCorpus.open(fixture());
        assertEquals(1906, corpus.concepts().size());
        assertTrue(corpus.hasTestStyle());
        EmojiCorpus.Concept keycap = corpus.concepts().get(0);
        assertEquals(new EmojiCorpus.Concept("0023-fe0f-20e3.png", "keycap: #", "keycap: # — keycap"), keycap);
        assertEquals("0023-fe0f-20e3", keycap.id());
        assertEquals("keycap", keycap.keywords());
        assertEquals("", new EmojiCorpus.Concept("a.png", "a", "a").keywords());
        assertEquals(fixture().resolve("google/0023-fe0f-20e3.png"), corpus.trainImage(keycap));
        assertEquals(Optional.of(fixture().resolve("twitter/0023-fe0f-20e3.png")), corpus.testImage(keycap));
    }

    @Test
    void trainsOnEveryStyleButTheHeldOutOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pairs.jsonl"), "{\"file\": \"a.png\", \"label\": \"a\", \"caption\": \"a\"}\n"
                + "{\"file\": \"b.png\", \"label\": \"b\", \"caption\": \"b\"}\n");
        for (String style : List.of("google", "twitter", "openmoji", "fluent")) {
            Files.createDirectories(dir.resolve(style));
            Files.write(dir.resolve(style).resolve("a.png"), TestImages.png(8, 8, 1));
        }
        Files.write(dir.resolve("google/b.png"), TestImages.png(8, 8, 2));

        EmojiCorpus corpus = EmojiCorpus.open(dir);
        assertEquals(Optional.of("twitter"), corpus.heldOutStyle());
        assertEquals(List.of("fluent", "google", "openmoji"), corpus.trainStyles());
        EmojiCorpus.Concept a = corpus.concepts().get(0);
        assertEquals(List.of("fluent", "google", "openmoji"), corpus.drawings(a).stream()
                .map(EmojiCorpus.Drawing::style).toList());
        assertEquals("a.openmoji", corpus.pairId(corpus.drawings(a).get(2)), "one id per drawing");
        assertEquals(1, corpus.drawings(corpus.concepts().get(1)).size(), "a style that lacks a concept is skipped");
        assertEquals(Optional.empty(), corpus.testImage(corpus.concepts().get(1)));

        EmojiCorpus fluent = EmojiCorpus.open(dir, "fluent");
        assertEquals(List.of("google", "openmoji", "twitter"), fluent.trainStyles());
        assertEquals(Optional.of(dir.resolve("fluent/a.png")), fluent.testImage(a));
        DemoFailure unknown = assertThrows(DemoFailure.class, () -> EmojiCorpus.open(dir, "apple"));
        assertTrue(unknown.getMessage().contains("fluent, google, openmoji, twitter"), unknown.getMessage());
    }

    @Test
    void aCaptionedFolderIsOneStyleWhoseCaptionsAreLabels(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("cat.png"), TestImages.png(16, 16, 1));
        Files.writeString(dir.resolve("cat.txt"), "a cat on a mat\n");
        Files.write(dir.resolve("dog.jpg"), TestImages.png(16, 16, 2));
        Files.writeString(dir.resolve("dog.txt"), "a dog");
        Files.write(dir.resolve("orphan.png"), TestImages.png(16, 16, 3));

        EmojiCorpus corpus = EmojiCorpus.open(dir);
        assertFalse(corpus.hasTestStyle());
        assertEquals(2, corpus.concepts().size(), "the image without a caption is left out");
        EmojiCorpus.Concept cat = corpus.concepts().get(0);
        assertEquals(new EmojiCorpus.Concept("cat.png", "a cat on a mat", "a cat on a mat"), cat);
        assertEquals(Optional.of(dir.resolve("cat.png")), corpus.testImage(cat), "classifies what it trained on");
        assertTrue(corpus.describe().contains("no second style"), corpus.describe());
    }

    @Test
    void refusesWhatIsNotADataset(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.md"), "nothing here");
        assertTrue(assertThrows(DemoFailure.class, () -> EmojiCorpus.open(dir)).getMessage()
                .contains("is not a dataset"));
        assertThrows(DemoFailure.class, () -> EmojiCorpus.open(dir.resolve("missing")));

        Files.createDirectories(dir.resolve("google"));
        Files.writeString(dir.resolve("pairs.jsonl"), "{\"file\": \"a.png\", \"label\": \"a\", \"caption\": \"a\"}\n"
                + "{\"file\": \"b.png\", \"label\": \"b\"}\n");
        DemoFailure failure = assertThrows(DemoFailure.class, () -> EmojiCorpus.open(dir));
        assertTrue(failure.getMessage().contains("pairs.jsonl:2"), failure.getMessage());
    }
}
