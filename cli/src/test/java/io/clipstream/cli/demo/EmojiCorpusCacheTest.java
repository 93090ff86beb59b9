package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache around the corpus build: npm pack → tar → build → rename into place. npm itself is replaced by a script
 * that hands over prepared tarballs (real gzip tarballs, unpacked by the real tar); the download from the registry
 * is covered by {@link EmojiCorpusFixtureTest} where npm is installed.
 */
class EmojiCorpusCacheTest {

    @TempDir
    Path dir;

    @Test
    void buildsTheCorpusOnceFromThePackedPackages() throws Exception {
        Path tarballs = Files.createDirectories(dir.resolve("registry"));
        packDatasource(tarballs, "google");
        packDatasource(tarballs, "twitter");
        Path emojibase = Files.createDirectories(dir.resolve("src-emojibase/package/en"));
        Files.writeString(emojibase.resolve("data.json"),
                "[{\"label\": \"grinning face\", \"hexcode\": \"1F600\", \"tags\": [\"face\", \"grin\"]}]");
        tar(dir.resolve("src-emojibase"), tarballs.resolve("emojibase-data-17.0.0.tgz"));
        Path npm = fakeNpm(tarballs);

        Path root = dir.resolve("cache");
        List<String> said = new ArrayList<>();
        Path corpus = CorpusCache.obtain(root, new NpmPackages(npm.toString()), said::add);

        assertEquals(root.resolve(CorpusCache.FOLDER), corpus);
        assertEquals(List.of("pack emoji-datasource-google@16.0.0 emoji-datasource-twitter@16.0.0 emojibase-data@17.0.0",
                "pack openmoji@17.0.0", "pack @lobehub/fluent-emoji-flat@1.1.0"),
                Files.readAllLines(tarballs.resolve("npm-args")));
        assertTrue(said.stream().anyMatch(line -> line.startsWith("skipping the openmoji style")), said.toString());
        assertTrue(Files.readString(corpus.resolve("README.md")).contains("emoji-datasource-twitter@16.0.0"));
        assertEquals(List.of("{\"file\": \"1f600.png\", \"label\": \"grinning face\", \"caption\": \"grinning face — face, grin\"}"),
                Files.readAllLines(corpus.resolve("pairs.jsonl")));
        assertTrue(Files.isRegularFile(corpus.resolve("google/1f600.png")));
        assertTrue(Files.isRegularFile(corpus.resolve("twitter/1f600.png")));
        assertEquals(List.of(CorpusCache.FOLDER), list(root), "the scratch folder is gone");
        assertTrue(said.get(said.size() - 1).contains("built 1 concepts"), said.toString());

        Files.delete(tarballs.resolve("npm-args"));
        assertEquals(corpus, CorpusCache.obtain(root, new NpmPackages(npm.toString()), said::add));
        assertFalse(Files.exists(tarballs.resolve("npm-args")), "a built corpus is not fetched again");
    }

    @Test
    void withoutNpmItSaysToPassADataset() {
        Path root = dir.resolve("cache");
        DemoFailure failure = assertThrows(DemoFailure.class, () -> CorpusCache.obtain(root,
                new NpmPackages(dir.resolve("no-such-npm").toString()), message -> { }));
        assertTrue(failure.getMessage().contains("npm") && failure.getMessage().contains("--dataset"),
                failure.getMessage());
        assertFalse(Files.exists(root.resolve(CorpusCache.FOLDER)));
    }

    @Test
    void aFailingNpmIsReportedWithItsOutput() throws IOException {
        Path npm = script("failing-npm", """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo 11.0.0; exit 0; fi
                echo "npm error code E404 no such package" >&2
                exit 1
                """);
        Path root = dir.resolve("cache");
        DemoFailure failure = assertThrows(DemoFailure.class,
                () -> CorpusCache.obtain(root, new NpmPackages(npm.toString()), message -> { }));
        assertTrue(failure.getMessage().contains("E404") && failure.getMessage().contains("--dataset"),
                failure.getMessage());
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(0, left.count(), "no half-built corpus or scratch folder is left");
        }
    }

    @Test
    void cacheRootComesFromTheEnvironmentOrTheHomeFolder() {
        assertEquals(Path.of("/data/cache"), CorpusCache.defaultRoot(Map.of("CLIPSTREAM_CACHE", "/data/cache"), "/home/a"));
        assertEquals(Path.of("/home/a/.cache/clipstream"), CorpusCache.defaultRoot(Map.of(), "/home/a"));
        assertEquals(Path.of("/home/a/.cache/clipstream"), CorpusCache.defaultRoot(Map.of("CLIPSTREAM_CACHE", " "), "/home/a"));
    }

    @Test
    void tarballNamesAreThoseNpmPackWrites() {
        assertEquals("emojibase-data-17.0.0.tgz", NpmPackages.tarballName("emojibase-data@17.0.0"));
        assertEquals("lobehub-fluent-emoji-3d-1.1.0.tgz", NpmPackages.tarballName("@lobehub/fluent-emoji-3d@1.1.0"));
        assertThrows(IllegalArgumentException.class, () -> NpmPackages.tarballName("emojibase-data"));
    }

    @Test
    void unpacksOnlyTheMembersAsked() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/package/img/google/64"));
        Files.writeString(src.resolve("a.png"), "a");
        Files.writeString(dir.resolve("src/package/emoji.json"), "[]");
        Files.writeString(dir.resolve("src/package/README.md"), "not wanted");
        Path tgz = dir.resolve("p.tgz");
        tar(dir.resolve("src"), tgz);

        Path into = dir.resolve("out");
        NpmPackages.unpack(tgz, into, List.of("package/emoji.json", "package/img/google/64"));
        assertTrue(Files.isRegularFile(into.resolve("package/img/google/64/a.png")));
        assertTrue(Files.isRegularFile(into.resolve("package/emoji.json")));
        assertFalse(Files.exists(into.resolve("package/README.md")));

        DemoFailure missing = assertThrows(DemoFailure.class,
                () -> NpmPackages.unpack(tgz, dir.resolve("out2"), List.of("package/en/data.json")));
        assertTrue(missing.getMessage().contains("tar"), missing.getMessage());
    }

    private void packDatasource(Path tarballs, String style) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("src-" + style + "/package/img/" + style + "/64"));
        Files.write(pkg.resolve("1f600.png"), TestImages.png(8, 8, style.length()));
        Files.writeString(dir.resolve("src-" + style + "/package/emoji.json"),
                "[{\"unified\": \"1F600\", \"image\": \"1f600.png\", \"has_img_google\": true, \"has_img_twitter\": true}]");
        tar(dir.resolve("src-" + style), tarballs.resolve("emoji-datasource-" + style + "-16.0.0.tgz"));
    }

    /** An npm that answers --version and, for pack, records its arguments and copies the prepared tarballs. */
    private Path fakeNpm(Path tarballs) throws IOException {
        return script("npm", """
                #!/bin/sh
                if [ "$1" = "--version" ]; then echo 11.0.0; exit 0; fi
                echo "$@" >> '%1$s/npm-args'
                cp '%1$s'/*.tgz .
                """.formatted(tarballs));
    }

    private Path script(String name, String text) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static void tar(Path from, Path tgz) throws Exception {
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", from.toString(), "package")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
