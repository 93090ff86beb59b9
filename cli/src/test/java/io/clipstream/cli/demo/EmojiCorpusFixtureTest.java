package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus built from the real npm packages is the shared emoji fixture: the same pairs.jsonl, byte for byte,
 * and the same PNGs. Downloads about 140 MB with npm, so it is tagged "network" (run with -Pnetwork); skipped where
 * npm (or the fixture) is absent.
 */
@Tag("network")
class EmojiCorpusFixtureTest {

    @Test
    void buildsExactlyTheFixture(@TempDir Path cache) throws IOException {
        Path fixture = Path.of(System.getProperty("clipstream.fixtures", "../shared/fixtures"), "emoji");
        assumeTrue(Files.isRegularFile(fixture.resolve("pairs.jsonl")), "no emoji fixture at " + fixture);
        NpmPackages npm = NpmPackages.onPath();
        assumeTrue(npm.available(), "npm is not installed: the corpus cannot be downloaded here");

        Path built = CorpusCache.obtain(cache, npm, System.out::println);

        List<String> builtPairs = Files.readAllLines(built.resolve("pairs.jsonl"));
        List<String> fixturePairs = Files.readAllLines(fixture.resolve("pairs.jsonl"));
        long sameLines = builtPairs.stream().filter(new java.util.HashSet<>(fixturePairs)::contains).count();
        List<String> differentImages = new ArrayList<>();
        for (String style : List.of("google", "twitter")) {
            assertEquals(list(fixture.resolve(style)), list(built.resolve(style)), style + " file names");
            for (String file : list(fixture.resolve(style))) {
                if (!Arrays.equals(Files.readAllBytes(fixture.resolve(style).resolve(file)),
                        Files.readAllBytes(built.resolve(style).resolve(file)))) {
                    differentImages.add(style + "/" + file);
                }
            }
        }
        System.out.printf("built %d pairs, fixture %d; identical lines %d; PNGs differing %d%n", builtPairs.size(),
                fixturePairs.size(), sameLines, differentImages.size());

        assertEquals(fixturePairs, builtPairs, "pairs.jsonl line for line");
        assertEquals(Files.readString(fixture.resolve("pairs.jsonl")), Files.readString(built.resolve("pairs.jsonl")),
                "pairs.jsonl byte for byte");
        assertEquals(List.of(), differentImages, "PNGs byte for byte");
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
