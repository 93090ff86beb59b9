package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the emoji corpus (the layout {@link EmojiCorpus} reads) from the unpacked npm packages, the two PNG styles
 * the same way the shared fixture was made, and further SVG sets drawn at the same size:
 * <ul>
 *   <li>the concepts and their 64×64 PNGs come from {@code emoji-datasource-google} and
 *   {@code emoji-datasource-twitter} ({@code emoji.json}, {@code img/<style>/64/<image>}); only emoji drawn in both
 *   styles are kept, and skin-tone variants are left out (they live under {@code skin_variations}, never read here,
 *   and the five bare skin-tone swatches U+1F3FB–1F3FF are skipped);</li>
 *   <li>label and tags come from {@code emojibase-data}'s English {@code en/data.json}, joined on the code point
 *   sequence. The packages disagree on variation selectors (emoji-datasource writes {@code 00A9-FE0F}, emojibase
 *   {@code 00A9}, and the other way round elsewhere), so both sides are compared without U+FE0F;</li>
 *   <li>{@code pairs.jsonl} lists the files in name order, one {@code {"file", "label", "caption"}} per line, the
 *   caption being {@code "label — tag, tag, …"} (the label alone when emojibase gives no tags).</li>
 * </ul>
 *   <li>further styles ({@link SvgEmojiSet}: OpenMoji, Fluent) are drawn at {@value #SIZE}×{@value #SIZE} for the
 *   kept concepts they have, joined on the code points as above; a concept a set lacks is simply not drawn in it.</li>
 * </ul>
 * The PNGs are copied byte for byte.
 */
final class EmojiCorpusBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VARIATION_SELECTOR_16 = "FE0F";

    /** The size the PNG sets are drawn at, and the SVG sets are drawn to. */
    static final int SIZE = 64;

    /** What was built and what was left out, and why; how many concepts each further style draws. */
    record Report(int concepts, int skinTones, int notInBothStyles, int unlabeled, Map<String, Integer> drawn) {
        @Override
        public String toString() {
            StringBuilder styles = new StringBuilder();
            drawn.forEach((style, count) -> styles.append(", ").append(style).append(" draws ").append(count));
            return concepts + " concepts (left out: " + skinTones + " skin-tone swatches, " + notInBothStyles
                    + " not drawn in both styles, " + unlabeled + " without an emojibase label)" + styles;
        }
    }

    private record Label(String label, List<String> tags) {
        String caption() {
            return tags.isEmpty() ? label : label + " — " + String.join(", ", tags);
        }
    }

    private EmojiCorpusBuilder() {
    }

    /**
     * Writes {@code out/pairs.jsonl}, {@code out/google/} and {@code out/twitter/}.
     *
     * @param google    the unpacked {@code emoji-datasource-google} package (the folder holding {@code emoji.json})
     * @param twitter   the unpacked {@code emoji-datasource-twitter} package
     * @param emojibase the unpacked {@code emojibase-data} package (the folder holding {@code en/data.json})
     */
    static Report build(Path google, Path twitter, Path emojibase, Path out) throws IOException {
        return build(google, twitter, emojibase, List.of(), out);
    }

    /** As {@link #build(Path, Path, Path, Path)}, drawing every concept {@code svgSets} have into their styles too. */
    static Report build(Path google, Path twitter, Path emojibase, List<SvgEmojiSet> svgSets, Path out)
            throws IOException {
        Map<String, Label> labels = readLabels(emojibase.resolve("en/data.json"));
        Map<String, String> googleImages = readImages(google, EmojiCorpus.TRAIN_STYLE);
        Map<String, String> twitterImages = readImages(twitter, EmojiCorpus.TEST_STYLE);

        int skinTones = 0;
        int notInBothStyles = 0;
        int unlabeled = 0;
        TreeMap<String, Label> byFile = new TreeMap<>();
        Map<String, String> unifiedByFile = new HashMap<>();
        for (var emoji : googleImages.entrySet()) {
            String file = emoji.getKey();
            String unified = emoji.getValue();
            if (isSkinTone(unified)) {
                skinTones++;
            } else if (!unified.equals(twitterImages.get(file))
                    || !Files.isRegularFile(image(google, EmojiCorpus.TRAIN_STYLE, file))
                    || !Files.isRegularFile(image(twitter, EmojiCorpus.TEST_STYLE, file))) {
                notInBothStyles++;
            } else if (!labels.containsKey(joinKey(unified))) {
                unlabeled++;
            } else {
                byFile.put(file, labels.get(joinKey(unified)));
                unifiedByFile.put(file, unified);
            }
        }
        for (var emoji : twitterImages.entrySet()) {
            if (!googleImages.containsKey(emoji.getKey()) && !isSkinTone(emoji.getValue())) {
                notInBothStyles++;
            }
        }

        Files.createDirectories(out.resolve(EmojiCorpus.TRAIN_STYLE));
        Files.createDirectories(out.resolve(EmojiCorpus.TEST_STYLE));
        try (Writer pairs = Files.newBufferedWriter(out.resolve(EmojiCorpus.PAIRS_FILE), StandardCharsets.UTF_8)) {
            for (var entry : byFile.entrySet()) {
                String file = entry.getKey();
                Files.copy(image(google, EmojiCorpus.TRAIN_STYLE, file), out.resolve(EmojiCorpus.TRAIN_STYLE).resolve(file));
                Files.copy(image(twitter, EmojiCorpus.TEST_STYLE, file), out.resolve(EmojiCorpus.TEST_STYLE).resolve(file));
                pairs.write(pairLine(file, entry.getValue()));
                pairs.write('\n');
            }
        }
        Map<String, Integer> drawn = new LinkedHashMap<>();
        for (SvgEmojiSet set : svgSets) {
            Map<String, Path> svgs = set.index();
            Path folder = Files.createDirectories(out.resolve(set.style()));
            int count = 0;
            for (String file : byFile.keySet()) {
                Path svg = svgs.get(joinKey(unifiedByFile.get(file)));
                if (svg != null && SvgEmojiSet.rasterize(svg, SIZE, folder.resolve(file))) {
                    count++;
                }
            }
            drawn.put(set.style(), count);
        }
        return new Report(byFile.size(), skinTones, notInBothStyles, unlabeled, drawn);
    }

    /** One line as the fixture has it (Python's {@code json.dumps(..., ensure_ascii=False)}: ", " and ": "). */
    static String pairLine(String file, String label, String caption) throws IOException {
        return "{\"file\": " + JSON.writeValueAsString(file) + ", \"label\": " + JSON.writeValueAsString(label)
                + ", \"caption\": " + JSON.writeValueAsString(caption) + "}";
    }

    private static String pairLine(String file, Label label) throws IOException {
        return pairLine(file, label.label(), label.caption());
    }

    /** emoji.json: image file name → code points ({@code unified}), for the top-level entries only. */
    private static Map<String, String> readImages(Path pkg, String style) throws IOException {
        JsonNode emoji = JSON.readTree(pkg.resolve("emoji.json").toFile());
        Map<String, String> images = new HashMap<>();
        for (JsonNode entry : emoji) {
            if (entry.path("has_img_" + style).asBoolean(false)) {
                images.put(entry.get("image").asText(), entry.get("unified").asText().toUpperCase(Locale.ROOT));
            }
        }
        return images;
    }

    /** emojibase's data.json: join key → label and tags (skin variants sit under {@code skins} and are not read). */
    private static Map<String, Label> readLabels(Path dataJson) throws IOException {
        Map<String, Label> labels = new HashMap<>();
        for (JsonNode entry : JSON.readTree(dataJson.toFile())) {
            List<String> tags = new ArrayList<>();
            entry.path("tags").forEach(tag -> tags.add(tag.asText()));
            labels.putIfAbsent(joinKey(entry.get("hexcode").asText()), new Label(entry.get("label").asText(), tags));
        }
        return labels;
    }

    /** The code point sequence without variation selector 16, upper case: {@code 00a9-fe0f} → {@code 00A9}. */
    static String joinKey(String codePoints) {
        List<String> kept = new ArrayList<>();
        for (String part : codePoints.toUpperCase(Locale.ROOT).split("-")) {
            if (!part.equals(VARIATION_SELECTOR_16)) {
                kept.add(part);
            }
        }
        return String.join("-", kept);
    }

    /** Whether the sequence carries a Fitzpatrick modifier U+1F3FB–1F3FF (a swatch or a toned variant). */
    static boolean isSkinTone(String codePoints) {
        for (String part : codePoints.split("-")) {
            int cp = Integer.parseInt(part, 16);
            if (cp >= 0x1F3FB && cp <= 0x1F3FF) {
                return true;
            }
        }
        return false;
    }

    private static Path image(Path pkg, String style, String file) {
        return pkg.resolve("img").resolve(style).resolve("64").resolve(file);
    }
}
