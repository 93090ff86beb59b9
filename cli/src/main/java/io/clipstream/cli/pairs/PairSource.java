package io.clipstream.cli.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Image–text pairs on disk: a folder of images each with a same-named {@code .txt} caption, or a JSON Lines file
 * of {@code {"image"|"file": path, "caption": text, "pairId"?, "attributes"?}} (paths relative to the file or to
 * {@code --image-dir}).
 */
public final class PairSource {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One pair to publish, or why it cannot be. */
    public record Entry(String pairId, Path image, String caption, Map<String, String> attributes, String problem) {
        static Entry problem(String pairId, String problem) {
            return new Entry(pairId, null, null, Map.of(), problem);
        }
    }

    private PairSource() {
    }

    public static List<Entry> read(Path input, Path imageDir) throws IOException {
        if (Files.isDirectory(input)) {
            return fromDirectory(input);
        }
        if (!Files.isRegularFile(input)) {
            throw new IOException(input + " is neither a folder nor a JSON Lines file");
        }
        return fromJsonLines(input, imageDir != null ? imageDir : input.toAbsolutePath().getParent());
    }

    private static List<Entry> fromDirectory(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path image : files.filter(PairSource::isImage).sorted().toList()) {
                String name = image.getFileName().toString();
                String stem = name.substring(0, name.lastIndexOf('.'));
                Path captionFile = image.resolveSibling(stem + ".txt");
                if (!Files.isRegularFile(captionFile)) {
                    entries.add(Entry.problem(stem, "no caption file " + captionFile.getFileName()));
                    continue;
                }
                entries.add(new Entry(stem, image, Files.readString(captionFile, StandardCharsets.UTF_8).strip(),
                        Map.of("file", name), null));
            }
        }
        return entries;
    }

    private static List<Entry> fromJsonLines(Path file, Path imageDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                entries.add(Entry.problem(where, "malformed JSON"));
                continue;
            }
            String path = text(node, "image", text(node, "file", null));
            String caption = text(node, "caption", null);
            if (path == null || caption == null) {
                entries.add(Entry.problem(where, "needs \"image\" (or \"file\") and \"caption\""));
                continue;
            }
            Map<String, String> attributes = new TreeMap<>();
            if (node.has("attributes")) {
                node.get("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            }
            if (node.has("label")) {
                attributes.put("label", node.get("label").asText());
            }
            attributes.put("file", path);
            String id = text(node, "pairId", stripExtension(Path.of(path).getFileName().toString()));
            entries.add(new Entry(id, imageDir.resolve(path), caption, attributes, null));
        }
        return entries;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    private static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return Files.isRegularFile(path) && dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
    }

    static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static byte[] readImage(Path image) {
        try {
            return Files.readAllBytes(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
