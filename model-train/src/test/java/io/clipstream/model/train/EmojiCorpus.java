package io.clipstream.model.train;

import io.clipstream.model.Fixtures;
import io.clipstream.model.image.ImageDecoder;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The shared emoji corpus ({@code fixtures/emoji}): 1,906 concepts, each with a CLDR label, a
 * caption (label and tags) and a 64×64 image in two art styles, Google's and Twitter's. Split by
 * concept, seeded: held-out concepts never reach training. Public in the test jar: the services' tests read the
 * corpus through it.
 */
public final class EmojiCorpus {

    /** One concept. */
    public record Emoji(String file, String label, String caption) {
    }

    /** A seeded split of the concepts into training and held-out ones. */
    record Split(List<Emoji> training, List<Emoji> heldOut) {
    }

    private EmojiCorpus() {
    }

    public static List<Emoji> all() {
        ObjectMapper json = new ObjectMapper();
        List<Emoji> emoji = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Fixtures.resolve("emoji/pairs.jsonl"))) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    emoji.add(new Emoji(node.get("file").asText(), node.get("label").asText(),
                            node.get("caption").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return emoji;
    }

    static Split split(int heldOut, long seed) {
        List<Emoji> shuffled = new ArrayList<>(all());
        Collections.shuffle(shuffled, new Random(seed));
        return new Split(List.copyOf(shuffled.subList(heldOut, shuffled.size())),
                List.copyOf(shuffled.subList(0, heldOut)));
    }

    /** The concept's image in a style ({@code google} or {@code twitter}); alpha is dropped. */
    static RgbImage image(String style, Emoji emoji) {
        Path file = Fixtures.resolve("emoji/" + style + "/" + emoji.file());
        try {
            return new ImageDecoder().decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidImageException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    static List<TrainingPair> pairs(String style, List<Emoji> emoji) {
        return emoji.stream().map(e -> new TrainingPair(image(style, e), e.caption())).toList();
    }
}
