package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RolloutManifestTest {

    @TempDir
    Path temp;
    private Path k8s;
    private RolloutManifest production;

    @BeforeEach
    void copyTheTree() {
        k8s = K8sTree.copy(temp);
        production = RolloutManifest.of(k8s, "production");
    }

    /** As committed: a stable version, and no overlay running a canary. */
    @Test
    void readsTheCommittedTree() {
        for (String overlay : List.of("dev", "production")) {
            Rollout rollout = RolloutManifest.of(K8sTree.dir(), overlay).current();
            assertEquals(K8sTree.env(K8sTree.dir().resolve(RolloutManifest.STABLE_FILE)).get(RolloutManifest.VERSION_KEY),
                    rollout.stable());
            assertEquals(Optional.empty(), rollout.canary(), overlay);
        }
    }

    /** The committed canary files hold a version and a split covering the partitions of clipstream.images. */
    @Test
    void committedCanaryFilesAreConsistent() {
        new ComponentLine(k8s.resolve("overlays/production/kustomization.yaml"), "../../components/canary")
                .setActive(true);
        Rollout.Canary canary = production.current().canary().orElseThrow();
        assertEquals(Topics.get(Topics.IMAGES).partitions(), canary.split().partitions());
    }

    @Test
    void settingTheStableVersionChangesItsOneLine() {
        Map<Path, List<String>> before = snapshot();
        production.setStable("7");
        assertEquals("7", production.current().stable());
        assertEquals(List.of(RolloutManifest.STABLE_FILE + ": CLIPSTREAM_MODEL_CHECKPOINT=7"), changes(before));
    }

    @Test
    void aCanaryWritesVersionAndSplitThenTurnsOnInItsOverlayOnly() {
        Map<Path, List<String>> before = snapshot();
        CanarySplit split = production.setCanary("2024-06-01.3", 34);

        assertEquals(new CanarySplit(2, 4), split);
        Rollout rollout = production.current();
        assertEquals(Optional.of(new Rollout.Canary("2024-06-01.3", split)), rollout.canary());
        assertEquals(List.of(
                RolloutManifest.CANARY_FILE + ": CLIPSTREAM_MODEL_CHECKPOINT=2024-06-01.3",
                RolloutManifest.SPLIT_FILE + ": CANARY_REPLICAS=2",
                RolloutManifest.SPLIT_FILE + ": STABLE_REPLICAS=4",
                "overlays/production/kustomization.yaml:   - ../../components/canary"), changes(before));
        assertEquals(Optional.empty(), RolloutManifest.of(k8s, "dev").current().canary());
    }

    @Test
    void clearingTheCanaryIsOneLineAndKeepsTheStableVersion() {
        String stable = production.current().stable();
        production.setCanary("9", 50);
        Map<Path, List<String>> before = snapshot();
        production.clearCanary();

        assertEquals(new Rollout(stable, Optional.empty()), production.current());
        assertEquals(List.of("overlays/production/kustomization.yaml:   # - ../../components/canary"), changes(before));
        production.clearCanary();
        assertEquals(Optional.empty(), production.current().canary(), "clearing twice is harmless");
    }

    @Test
    void promotionIsStableThenClear() {
        production.setCanary("9", 20);
        production.setStable("9");
        production.clearCanary();
        assertEquals(new Rollout("9", Optional.empty()), production.current());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "3 4", "#3", "-3", "../3", "3\n4", "v=3", "\"3\""})
    void refusesWhatIsNotAVersion(String version) {
        Map<Path, List<String>> before = snapshot();
        assertThrows(IllegalArgumentException.class, () -> production.setStable(version));
        assertThrows(IllegalArgumentException.class, () -> production.setCanary(version, 20));
        assertEquals(List.of(), changes(before));
    }

    @Test
    void refusesACanaryOfTheStableVersionOrOfNoShare() {
        Map<Path, List<String>> before = snapshot();
        String stable = production.current().stable();
        assertThrows(IllegalArgumentException.class, () -> production.setCanary(stable, 20));
        assertThrows(IllegalArgumentException.class, () -> production.setCanary("9", 0));
        assertThrows(IllegalArgumentException.class, () -> production.setCanary("9", 100));
        assertEquals(List.of(), changes(before));
    }

    @Test
    void aSplitThatDoesNotCoverThePartitionsIsReportedNotBelieved() throws IOException {
        production.setCanary("9", 50);
        Path split = k8s.resolve(RolloutManifest.SPLIT_FILE);
        Files.writeString(split, Files.readString(split).replace("STABLE_REPLICAS=3", "STABLE_REPLICAS=1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, production::current);
        assertTrue(e.getMessage().contains("partitions"), e.getMessage());
    }

    @Test
    void aManifestWithoutItsLineIsAnErrorNotAGuess() throws IOException {
        Path stable = k8s.resolve(RolloutManifest.STABLE_FILE);
        Files.writeString(stable, Files.readString(stable) + "CLIPSTREAM_MODEL_CHECKPOINT=8\n");
        assertThrows(IllegalStateException.class, production::current);
        assertThrows(IllegalStateException.class, () -> production.setStable("9"));

        Path overlay = k8s.resolve("overlays/production/kustomization.yaml");
        Files.writeString(overlay, Files.readString(overlay).replace("# - ../../components/canary", ""));
        assertThrows(IllegalStateException.class, () -> RolloutManifest.of(k8s, "production"));
    }

    @Test
    void anUnknownOverlayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RolloutManifest.of(k8s, "staging"));
    }

    /** Every line of every file of the tree, by path relative to it. */
    private Map<Path, List<String>> snapshot() {
        Map<Path, List<String>> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(k8s)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(k8s.relativize(file), Files.readAllLines(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** "file: new line" for each line that differs from the snapshot (edits never add or remove lines). */
    private List<String> changes(Map<Path, List<String>> before) {
        Map<Path, List<String>> after = snapshot();
        assertEquals(before.keySet(), after.keySet(), "files added or removed (a temporary file left behind?)");
        List<String> changed = new ArrayList<>();
        before.forEach((file, lines) -> {
            List<String> now = after.get(file);
            assertEquals(lines.size(), now.size(), file + " gained or lost lines");
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).equals(now.get(i))) {
                    changed.add(file.toString().replace('\\', '/') + ": " + now.get(i));
                }
            }
        });
        assertFalse(changed.stream().anyMatch(c -> c.contains("\n")));
        return changed;
    }
}
