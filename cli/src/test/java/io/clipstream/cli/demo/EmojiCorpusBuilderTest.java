package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corpus build on a tiny made-up copy of the three npm packages, with each case the real ones have. */
class EmojiCorpusBuilderTest {

    @TempDir
    Path dir;

    @Test
    void buildsTheFixtureLayoutFromThePackages() throws IOException {
        Path google = dir.resolve("google-pkg");
        Path twitter = dir.resolve("twitter-pkg");
        Path emojibase = dir.resolve("emojibase-pkg");
        String datasource = """
                [
                 {"unified": "0023-FE0F-20E3", "image": "0023-fe0f-20e3.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "00A9-FE0F", "image": "00a9-fe0f.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "1F636-200D-1F32B", "image": "1f636-200d-1f32b.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "1F44B", "image": "1f44b.png", "has_img_google": true, "has_img_twitter": true,
                  "skin_variations": {"1F3FB": {"unified": "1F44B-1F3FB", "image": "1f44b-1f3fb.png"}}},
                 {"unified": "1F3FB", "image": "1f3fb.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "1F600", "image": "1f600.png", "has_img_google": true, "has_img_twitter": false},
                 {"unified": "1F1E6-1F1E8", "image": "1f1e6-1f1e8.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "1F9FF", "image": "1f9ff.png", "has_img_google": true, "has_img_twitter": true},
                 {"unified": "1F5E8", "image": "1f5e8.png", "has_img_google": true, "has_img_twitter": true}
                ]""";
        writePackage(google, "google", datasource, List.of("0023-fe0f-20e3.png", "00a9-fe0f.png",
                "1f636-200d-1f32b.png", "1f44b.png", "1f44b-1f3fb.png", "1f3fb.png", "1f600.png", "1f1e6-1f1e8.png",
                "1f9ff.png", "1f5e8.png"), 1);
        writePackage(twitter, "twitter", datasource, List.of("0023-fe0f-20e3.png", "00a9-fe0f.png",
                "1f636-200d-1f32b.png", "1f44b.png", "1f44b-1f3fb.png", "1f3fb.png", "1f1e6-1f1e8.png", "1f9ff.png",
                "1f5e8.png"), 2);
        Files.createDirectories(emojibase.resolve("en"));
        Files.writeString(emojibase.resolve("en/data.json"), """
                [
                 {"label": "keycap: #", "hexcode": "0023-FE0F-20E3", "tags": ["keycap"]},
                 {"label": "copyright", "hexcode": "00A9", "tags": ["c", "copyright"]},
                 {"label": "face in clouds", "hexcode": "1F636-200D-1F32B-FE0F", "tags": ["absentminded", "fog"]},
                 {"label": "waving hand", "hexcode": "1F44B", "tags": ["hand", "wave"],
                  "skins": [{"label": "waving hand: light skin tone", "hexcode": "1F44B-1F3FB"}]},
                 {"label": "light skin tone", "hexcode": "1F3FB", "tags": ["skin", "tone"]},
                 {"label": "grinning face", "hexcode": "1F600", "tags": ["face", "grin"]},
                 {"label": "flag: Ascension Island", "hexcode": "1F1E6-1F1E8"},
                 {"label": "say \\"hi\\" bubble", "hexcode": "1F5E8-FE0F", "tags": ["speech"]}
                ]""", StandardCharsets.UTF_8);

        Path out = dir.resolve("corpus");
        EmojiCorpusBuilder.Report report = EmojiCorpusBuilder.build(google, twitter, emojibase, out);

        assertEquals(List.of(
                "{\"file\": \"0023-fe0f-20e3.png\", \"label\": \"keycap: #\", \"caption\": \"keycap: # — keycap\"}",
                "{\"file\": \"00a9-fe0f.png\", \"label\": \"copyright\", \"caption\": \"copyright — c, copyright\"}",
                "{\"file\": \"1f1e6-1f1e8.png\", \"label\": \"flag: Ascension Island\", \"caption\": \"flag: Ascension Island\"}",
                "{\"file\": \"1f44b.png\", \"label\": \"waving hand\", \"caption\": \"waving hand — hand, wave\"}",
                "{\"file\": \"1f5e8.png\", \"label\": \"say \\\"hi\\\" bubble\", \"caption\": \"say \\\"hi\\\" bubble — speech\"}",
                "{\"file\": \"1f636-200d-1f32b.png\", \"label\": \"face in clouds\", \"caption\": \"face in clouds — absentminded, fog\"}"),
                Files.readAllLines(out.resolve("pairs.jsonl"), StandardCharsets.UTF_8));
        assertTrue(Files.readString(out.resolve("pairs.jsonl"), StandardCharsets.UTF_8).endsWith("}\n"));
        assertEquals(new EmojiCorpusBuilder.Report(6, 1, 1, 1, Map.of()), report);

        List<String> expectedFiles = List.of("0023-fe0f-20e3.png", "00a9-fe0f.png", "1f1e6-1f1e8.png", "1f44b.png",
                "1f5e8.png", "1f636-200d-1f32b.png");
        for (String style : List.of("google", "twitter")) {
            Path pkg = style.equals("google") ? google : twitter;
            assertEquals(expectedFiles, list(out.resolve(style)), style);
            for (String file : expectedFiles) {
                assertArrayEquals(Files.readAllBytes(pkg.resolve("img").resolve(style).resolve("64").resolve(file)),
                        Files.readAllBytes(out.resolve(style).resolve(file)), style + "/" + file + " copied as is");
            }
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out.resolve("google/1f44b.png")),
                Files.readAllBytes(out.resolve("twitter/1f44b.png"))), "each style keeps its own drawing");

        // A further set in SVG, named by code points in its own way (upper case, no variation selector).
        Path svgs = Files.createDirectories(dir.resolve("openmoji-pkg/color/svg"));
        String circle = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 72 72\">"
                + "<circle cx=\"36\" cy=\"36\" r=\"30\" fill=\"#ff0000\"/></svg>";
        Files.writeString(svgs.resolve("00A9.svg"), circle);
        Files.writeString(svgs.resolve("1F44B.svg"), circle);
        Files.writeString(svgs.resolve("E000.svg"), circle);
        Files.writeString(svgs.resolve("notes.txt"), "not an emoji");
        Path withSvg = dir.resolve("corpus-svg");
        EmojiCorpusBuilder.Report drawn = EmojiCorpusBuilder.build(google, twitter, emojibase,
                List.of(new SvgEmojiSet("openmoji", svgs)), withSvg);
        assertEquals(Map.of("openmoji", 2), drawn.drawn());
        assertEquals(List.of("00a9-fe0f.png", "1f44b.png"), list(withSvg.resolve("openmoji")),
                "the concepts the set has, under the corpus's file names");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(withSvg.resolve("openmoji/1f44b.png").toFile());
        assertEquals(64, png.getWidth());
        assertEquals(64, png.getHeight());
        assertEquals(0xffff0000, png.getRGB(32, 32), "drawn: opaque red in the middle");
        assertEquals(0, png.getRGB(0, 0) >>> 24, "transparent outside the drawing");
    }

    @Test
    void writesLinesAsTheFixtureDoes() throws IOException {
        assertEquals("{\"file\": \"0023-fe0f-20e3.png\", \"label\": \"keycap: #\", \"caption\": \"keycap: # — keycap\"}",
                EmojiCorpusBuilder.pairLine("0023-fe0f-20e3.png", "keycap: #", "keycap: # — keycap"));
        assertEquals("{\"file\": \"3297-fe0f.png\", \"label\": \"Japanese “congratulations” button\", \"caption\": "
                        + "\"a\\\\b\\tc\"}",
                EmojiCorpusBuilder.pairLine("3297-fe0f.png", "Japanese “congratulations” button", "a\\b\tc"));
    }

    @Test
    void joinsWithoutVariationSelectorsAndKnowsSkinTones() {
        assertEquals("00A9", EmojiCorpusBuilder.joinKey("00a9-fe0f"));
        assertEquals("2764-200D-1F525", EmojiCorpusBuilder.joinKey("2764-FE0F-200D-1F525"));
        assertTrue(EmojiCorpusBuilder.isSkinTone("1F3FF"));
        assertTrue(EmojiCorpusBuilder.isSkinTone("1F44B-1F3FB"));
        assertFalse(EmojiCorpusBuilder.isSkinTone("1F3FA"));
        assertFalse(EmojiCorpusBuilder.isSkinTone("1F400"));
    }

    private static void writePackage(Path pkg, String style, String emojiJson, List<String> images, int seed)
            throws IOException {
        Files.createDirectories(pkg.resolve("img").resolve(style).resolve("64"));
        Files.writeString(pkg.resolve("emoji.json"), emojiJson, StandardCharsets.UTF_8);
        for (int i = 0; i < images.size(); i++) {
            Files.write(pkg.resolve("img").resolve(style).resolve("64").resolve(images.get(i)),
                    TestImages.png(8, 8, seed * 100 + i));
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
