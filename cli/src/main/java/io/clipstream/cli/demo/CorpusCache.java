package io.clipstream.cli.demo;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The emoji corpus kept in the user's cache ({@code $CLIPSTREAM_CACHE}, else {@code ~/.cache/clipstream}), built
 * once from the npm packages the shared fixture was made from. A build happens in a scratch folder beside the cache
 * entry and is renamed into place when complete, so an interrupted build never leaves a half corpus behind.
 */
final class CorpusCache {

    /** Named after what it holds; a corpus of an older layout (google and twitter alone) is left where it is. */
    static final String FOLDER = "emoji-16.0.0-styles";
    static final String GOOGLE = "emoji-datasource-google@16.0.0";
    static final String TWITTER = "emoji-datasource-twitter@16.0.0";
    static final String LABELS = "emojibase-data@17.0.0";

    /** A further emoji set, drawn from SVG: its npm package, where the SVGs are in it, and its licence. */
    record SvgPackage(String style, String spec, String member, String licence) {
    }

    /** Openly licensed sets only, each drawn in its own style folder. */
    static final List<SvgPackage> SVG_SETS = List.of(
            new SvgPackage("openmoji", "openmoji@17.0.0", "package/color/svg", "CC BY-SA 4.0 (OpenMoji, HfG Schwäbisch Gmünd)"),
            new SvgPackage("fluent", "@lobehub/fluent-emoji-flat@1.1.0", "package/assets",
                    "MIT (Microsoft Fluent Emoji, flat style)"));

    private static final String README = """
            # Emoji corpus for `clipstream demo`

            Built by `clipstream demo` from npm packages (`npm pack`, no install scripts); the same concepts drawn in
            several styles, the PNG sets copied byte for byte and the SVG sets drawn at 64×64 with jsvg.

            | style | package | licence |
            |---|---|---|
            | google | %s | Apache License 2.0 (Noto Emoji, Google) |
            | twitter | %s | CC BY 4.0 (Twemoji, Twitter) |
            %s
            Labels and keywords: %s, MIT. Delete this folder to build it again.
            """;

    private CorpusCache() {
    }

    /** {@code $CLIPSTREAM_CACHE}, else {@code ~/.cache/clipstream}. */
    static Path defaultRoot(Map<String, String> env, String userHome) {
        String configured = env.get("CLIPSTREAM_CACHE");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(userHome, ".cache", "clipstream");
    }

    /** The corpus folder under {@code root}, built first when it is not there yet. */
    static Path obtain(Path root, NpmPackages npm, Consumer<String> say) throws IOException {
        Path target = root.resolve(FOLDER);
        if (Files.isRegularFile(target.resolve(EmojiCorpus.PAIRS_FILE))) {
            return target;
        }
        if (!npm.available()) {
            throw new DemoFailure("The emoji corpus is not in " + target + " and npm, needed once to download it ("
                    + GOOGLE + ", " + TWITTER + ", " + LABELS + "), cannot be run. Install Node.js with npm, or pass "
                    + "--dataset DIR: a folder with pairs.jsonl, google/ and twitter/ (like the emoji fixture), or "
                    + "images with same-named .txt captions.");
        }
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, FOLDER + ".building-");
        try {
            say.accept("downloading " + GOOGLE + ", " + TWITTER + " and " + LABELS + " with npm pack");
            List<Path> tarballs;
            try {
                tarballs = npm.pack(List.of(GOOGLE, TWITTER, LABELS), work);
            } catch (DemoFailure e) {
                throw new DemoFailure(e.getMessage() + "\nWithout the npm registry, pass --dataset DIR instead.", e);
            }
            Path google = work.resolve("google");
            Path twitter = work.resolve("twitter");
            Path labels = work.resolve("emojibase");
            NpmPackages.unpack(tarballs.get(0), google, List.of("package/emoji.json", "package/img/google/64"));
            NpmPackages.unpack(tarballs.get(1), twitter, List.of("package/emoji.json", "package/img/twitter/64"));
            NpmPackages.unpack(tarballs.get(2), labels, List.of("package/en/data.json"));
            List<SvgEmojiSet> svgSets = new ArrayList<>();
            StringBuilder rows = new StringBuilder();
            for (SvgPackage set : SVG_SETS) {
                try {
                    Path tarball = npm.pack(List.of(set.spec()), work).getFirst();
                    Path unpacked = work.resolve(set.style());
                    NpmPackages.unpack(tarball, unpacked, List.of(set.member()));
                    svgSets.add(new SvgEmojiSet(set.style(), unpacked.resolve(set.member())));
                    rows.append("| ").append(set.style()).append(" | ").append(set.spec()).append(" | ")
                            .append(set.licence()).append(" |\n");
                } catch (DemoFailure e) {
                    say.accept("skipping the " + set.style() + " style: " + set.spec() + " could not be fetched ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
            EmojiCorpusBuilder.Report report = EmojiCorpusBuilder.build(google.resolve("package"),
                    twitter.resolve("package"), labels.resolve("package"), svgSets, work.resolve("corpus"));
            Files.writeString(work.resolve("corpus/README.md"), README.formatted(GOOGLE, TWITTER, rows, LABELS));
            try {
                Files.move(work.resolve("corpus"), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another run built it meanwhile: same packages, same corpus; keep theirs.
            }
            say.accept("built " + report + " in " + target);
            return target;
        } finally {
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
