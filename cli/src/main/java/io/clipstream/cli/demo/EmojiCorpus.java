package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.pairs.PairSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A corpus the demo can train on and classify, in one of two layouts:
 * <ul>
 *   <li>styles, as in the shared emoji fixture: {@code pairs.jsonl} ({@code {"file", "label", "caption"}} per
 *   line) with each style's drawings in a folder of its own ({@value #TRAIN_STYLE}/, {@value #TEST_STYLE}/,
 *   {@code openmoji/}, {@code fluent/}, …) under the same file names. The demo trains on every style but one and
 *   classifies that one (the held-out style, {@value #TEST_STYLE} unless chosen): a test of generalisation.</li>
 *   <li>one style: any folder of images with same-named {@code .txt} captions (as {@code pairs import} reads it).
 *   Each caption is also the image's label. With no second drawing of a concept, the demo classifies the very
 *   images it trained on, which measures how well the model fits its training pairs, not how it generalises.</li>
 * </ul>
 */
public final class EmojiCorpus {

    public static final String PAIRS_FILE = "pairs.jsonl";
    /** The style every styled corpus has. */
    public static final String TRAIN_STYLE = "google";
    /** The style held out by default. */
    public static final String TEST_STYLE = "twitter";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One concept: its image file name (the same in every style), its label and its training caption. */
    public record Concept(String file, String label, String caption) {
        /** The file name without extension: the pair id and the image id on the topics. */
        public String id() {
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }

        /** The keywords of an emoji caption ({@code "label — tag, tag"}): {@code "tag, tag"}, or "" without. */
        public String keywords() {
            String prefix = label + " — ";
            return caption.startsWith(prefix) ? caption.substring(prefix.length()) : "";
        }
    }

    /** One drawing of a concept to train on. */
    public record Drawing(Concept concept, String style, Path file) {
    }

    private final Path root;
    private final List<Concept> concepts;
    /** Style name → its folder, the training styles in name order; one unnamed entry for a captioned folder. */
    private final Map<String, Path> trainStyles;
    private final String heldOutStyle;
    private final Path testImages;

    private EmojiCorpus(Path root, List<Concept> concepts, Map<String, Path> trainStyles, String heldOutStyle,
            Path testImages) {
        this.root = root;
        this.concepts = List.copyOf(concepts);
        this.trainStyles = trainStyles;
        this.heldOutStyle = heldOutStyle;
        this.testImages = testImages;
    }

    /** Reads a corpus in either layout holding out {@value #TEST_STYLE}. */
    public static EmojiCorpus open(Path dir) throws IOException {
        return open(dir, null);
    }

    /**
     * Reads a corpus in either layout; a folder in neither, a malformed {@code pairs.jsonl}, or a held-out style the
     * corpus does not have is an error.
     *
     * @param heldOutStyle the style to classify, {@code null} for {@value #TEST_STYLE} (or none, when the corpus
     *                     lacks it and has a single style)
     */
    public static EmojiCorpus open(Path dir, String heldOutStyle) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DemoFailure("No dataset folder " + dir);
        }
        Path pairs = dir.resolve(PAIRS_FILE);
        if (Files.isRegularFile(pairs)) {
            TreeMap<String, Path> styles = new TreeMap<>();
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(Files::isDirectory).forEach(d -> styles.put(d.getFileName().toString(), d));
            }
            if (styles.isEmpty()) {
                throw new DemoFailure(dir + " has " + PAIRS_FILE + " but no folder of images (" + TRAIN_STYLE
                        + "/, " + TEST_STYLE + "/, …)");
            }
            String heldOut = heldOutStyle != null ? heldOutStyle : styles.containsKey(TEST_STYLE) ? TEST_STYLE : null;
            if (heldOut != null && !styles.containsKey(heldOut)) {
                throw new DemoFailure("--held-out-style " + heldOut + ": " + dir + " has the styles "
                        + String.join(", ", styles.keySet()));
            }
            Path test = heldOut == null ? null : styles.remove(heldOut);
            if (styles.isEmpty()) {
                throw new DemoFailure(dir + " has only the style " + heldOut + ": nothing is left to train on");
            }
            return new EmojiCorpus(dir, readPairs(pairs), Collections.unmodifiableMap(styles), heldOut, test);
        }
        if (heldOutStyle != null) {
            throw new DemoFailure("--held-out-style needs a corpus with styles (" + PAIRS_FILE + " and a folder per "
                    + "style); " + dir + " is a folder of captioned images");
        }
        List<Concept> captioned = new ArrayList<>();
        for (PairSource.Entry entry : PairSource.read(dir, null)) {
            if (entry.problem() == null) {
                String file = entry.image().getFileName().toString();
                captioned.add(new Concept(file, entry.caption(), entry.caption()));
            }
        }
        if (captioned.isEmpty()) {
            throw new DemoFailure(dir + " is not a dataset: it has neither " + PAIRS_FILE + " with a folder per "
                    + "style, nor images with same-named .txt captions");
        }
        return new EmojiCorpus(dir, captioned, Map.of("captioned", dir), null, null);
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

    /** The styles trained on, in name order. */
    public List<String> trainStyles() {
        return List.copyOf(trainStyles.keySet());
    }

    /** The style classified, if the corpus holds one out. */
    public Optional<String> heldOutStyle() {
        return Optional.ofNullable(heldOutStyle);
    }

    /** The first training style's drawing of a concept (the fixture's google/ one). */
    public Path trainImage(Concept concept) {
        return trainStyles.values().iterator().next().resolve(concept.file());
    }

    /** The id of a drawing's pair: the concept's, qualified by the style when several styles are trained on. */
    public String pairId(Drawing drawing) {
        return trainStyles.size() == 1 ? drawing.concept().id() : drawing.concept().id() + "." + drawing.style();
    }

    /** Every training style's drawing of a concept, for the styles that draw it. */
    public List<Drawing> drawings(Concept concept) {
        List<Drawing> drawings = new ArrayList<>();
        trainStyles.forEach((style, folder) -> {
            Path file = folder.resolve(concept.file());
            if (Files.isRegularFile(file)) {
                drawings.add(new Drawing(concept, style, file));
            }
        });
        return drawings;
    }

    /**
     * The image to classify: the other style's drawing when there is one (and the file exists), else the training
     * image itself.
     */
    public Optional<Path> testImage(Concept concept) {
        Path image = testImages != null ? testImages.resolve(concept.file()) : trainImage(concept);
        return Files.isRegularFile(image) ? Optional.of(image) : Optional.empty();
    }

    /** One line for a person: how many concepts, which styles, from where. */
    public String describe() {
        return hasTestStyle()
                ? concepts.size() + " concepts drawn in " + String.join("/, ", trainStyles.keySet())
                        + "/ (trained on) and " + heldOutStyle + "/ (classified), " + root
                : concepts.size() + " captioned images in one style, " + root + " (no second style: the demo "
                        + "classifies the images it trained on)";
    }
}
