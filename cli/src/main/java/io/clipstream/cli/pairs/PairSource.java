package io.clipstream.cli.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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

    /**
     * What a folder or file holds to publish, and what it holds that will not be published, each as "name: why".
     */
    public record Listing(List<Entry> entries, List<String> skipped) {
    }

    public static List<Entry> read(Path input, Path imageDir) throws IOException {
        return scan(input, imageDir).entries();
    }

    public static Listing scan(Path input, Path imageDir) throws IOException {
        if (Files.isDirectory(input)) {
            return fromDirectory(input);
        }
        if (!Files.isRegularFile(input)) {
            throw new IOException(input + " is neither a folder nor a JSON Lines file");
        }
        return new Listing(fromJsonLines(input, imageDir != null ? imageDir : input.toAbsolutePath().getParent()),
                List.of());
    }

    /**
     * Every file with a same-named caption is a pair, whatever its extension: ingest decodes the image and rejects
     * what it cannot decode to the rejected topic with the reason, so the CLI keeps no list of formats of its own.
     * A file named as an image but without a caption fails; any other file without one, a caption without a file
     * and a hidden file are skipped, each with why.
     */
    private static Listing fromDirectory(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        Set<String> imageStems = new java.util.HashSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith(".")) {
                skipped.add(name + ": a hidden file");
                continue;
            }
            if (isCaption(file)) {
                continue;
            }
            String stem = stripExtension(name);
            imageStems.add(stem);
            Path captionFile = file.resolveSibling(stem + ".txt");
            if (!Files.isRegularFile(captionFile)) {
                if (isImage(file)) {
                    entries.add(Entry.problem(stem, "no caption file " + captionFile.getFileName()));
                } else {
                    skipped.add(name + ": no caption file " + captionFile.getFileName());
                }
                continue;
            }
            String caption;
            try {
                caption = readCaption(captionFile);
            } catch (IOException e) {
                entries.add(Entry.problem(stem, "caption " + captionFile.getFileName() + " " + e.getMessage()));
                continue;
            }
            entries.add(new Entry(stem, file, caption, Map.of("file", name), null));
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.startsWith(".") && isCaption(file) && !imageStems.contains(stripExtension(name))) {
                skipped.add(name + ": a caption with no image of the same name");
            }
        }
        return new Listing(entries, skipped);
    }

    /** A caption as UTF-8 text; anything else is an error saying so (Java's own message is "Input length = 1"). */
    private static String readCaption(Path captionFile) throws IOException {
        try {
            return Files.readString(captionFile, StandardCharsets.UTF_8).strip();
        } catch (CharacterCodingException e) {
            throw new IOException("is not valid UTF-8 text");
        } catch (IOException e) {
            throw new IOException("cannot be read: " + e.getMessage());
        }
    }

    /**
     * One pair per line; a line that is not UTF-8 or not a pair fails alone, the others are still published. Lines are
     * split on bytes and decoded one at a time for that.
     */
    private static List<Entry> fromJsonLines(Path file, Path imageDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] bytes = Files.readAllBytes(file);
        int lineNumber = 0;
        for (int start = 0; start < bytes.length; ) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            String where = file.getFileName() + ":" + lineNumber;
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                entries.add(Entry.problem(where, where + ": not valid UTF-8 text"));
                start = end + 1;
                continue;
            }
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                entries.add(Entry.problem(where, where + ": malformed JSON"));
                continue;
            }
            String path = text(node, "image", text(node, "file", null));
            String caption = text(node, "caption", null);
            if (path == null || caption == null) {
                entries.add(Entry.problem(where, where + ": needs \"image\" (or \"file\") and \"caption\""));
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

    /** Named as an image: without a caption it is a pair that fails rather than a file skipped. */
    static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
    }

    private static boolean isCaption(Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt");
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
