package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.pairs.PairSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A corpus the demo can train on and classify, in one of two layouts:
 * <ul>
 *   <li>two styles, as in the shared emoji fixture: {@code pairs.jsonl} ({@code {"file", "label", "caption"}} per
 *   line) with the images under {@value #TRAIN_STYLE}/ and, drawn differently with the same file names,
 *   {@value #TEST_STYLE}/. The demo trains on one style and classifies the other: a test of generalisation.</li>
 *   <li>one style: any folder of images with same-named {@code .txt} captions (as {@code pairs import} reads it).
 *   Each caption is also the image's label. With no second drawing of a concept, the demo classifies the very
 *   images it trained on, which measures how well the model fits its training pairs, not how it generalises.</li>
 * </ul>
 */
public final class EmojiCorpus {

    public static final String PAIRS_FILE = "pairs.jsonl";
    public static final String TRAIN_STYLE = "google";
    public static final String TEST_STYLE = "twitter";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One concept: its image file name (the same in every style), its label and its training caption. */
    public record Concept(String file, String label, String caption) {
        /** The file name without extension: the pair id and the image id on the topics. */
        public String id() {
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
    }

    private final Path root;
    private final List<Concept> concepts;
    private final Path trainImages;
    private final Path testImages;

    private EmojiCorpus(Path root, List<Concept> concepts, Path trainImages, Path testImages) {
        this.root = root;
        this.concepts = List.copyOf(concepts);
        this.trainImages = trainImages;
        this.testImages = testImages;
    }

    /** Reads a corpus in either layout; a folder in neither, or a malformed {@code pairs.jsonl}, is an error. */
    public static EmojiCorpus open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DemoFailure("No dataset folder " + dir);
        }
        Path pairs = dir.resolve(PAIRS_FILE);
        if (Files.isRegularFile(pairs)) {
            Path train = dir.resolve(TRAIN_STYLE);
            if (!Files.isDirectory(train)) {
                throw new DemoFailure(dir + " has " + PAIRS_FILE + " but no " + TRAIN_STYLE + "/ folder of images");
            }
            Path test = dir.resolve(TEST_STYLE);
            return new EmojiCorpus(dir, readPairs(pairs), train, Files.isDirectory(test) ? test : null);
        }
        List<Concept> captioned = new ArrayList<>();
        for (PairSource.Entry entry : PairSource.read(dir, null)) {
            if (entry.problem() == null) {
                String file = entry.image().getFileName().toString();
                captioned.add(new Concept(file, entry.caption(), entry.caption()));
            }
        }
        if (captioned.isEmpty()) {
            throw new DemoFailure(dir + " is not a dataset: it has neither " + PAIRS_FILE + " with " + TRAIN_STYLE
                    + "/ and " + TEST_STYLE + "/, nor images with same-named .txt captions");
        }
        return new EmojiCorpus(dir, captioned, dir, null);
    }

    private static List<Concept> readPairs(Path file) throws IOException {
        List<Concept> concepts = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new DemoFailure(where + ": malformed JSON", e);
            }
            if (!node.hasNonNull("file") || !node.hasNonNull("label") || !node.hasNonNull("caption")) {
                throw new DemoFailure(where + ": needs \"file\", \"label\" and \"caption\"");
            }
            concepts.add(new Concept(node.get("file").asText(), node.get("label").asText(),
                    node.get("caption").asText()));
        }
        return concepts;
    }

    public Path root() {
        return root;
    }

    public List<Concept> concepts() {
        return concepts;
    }

    /** Whether the concepts are drawn a second time, in a style the model does not train on. */
    public boolean hasTestStyle() {
        return testImages != null;
    }

    /** The image the model trains on. */
    public Path trainImage(Concept concept) {
        return trainImages.resolve(concept.file());
    }

    /**
     * The image to classify: the other style's drawing when there is one (and the file exists), else the training
     * image itself.
     */
    public Optional<Path> testImage(Concept concept) {
        Path image = (testImages != null ? testImages : trainImages).resolve(concept.file());
        return Files.isRegularFile(image) ? Optional.of(image) : Optional.empty();
    }

    /** One line for a person: how many concepts, which styles, from where. */
    public String describe() {
        return hasTestStyle()
                ? concepts.size() + " concepts drawn in " + TRAIN_STYLE + "/ (trained on) and " + TEST_STYLE
                        + "/ (classified), " + root
                : concepts.size() + " captioned images in one style, " + root + " (no second style: the demo "
                        + "classifies the images it trained on)";
    }
}
