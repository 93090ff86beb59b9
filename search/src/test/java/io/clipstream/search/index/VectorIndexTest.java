package io.clipstream.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded index on real Lucene: versions apart, nearest first, filters, and commits that carry positions. */
class VectorIndexTest {

    @TempDir
    Path folder;

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    static float[] unit(Random random, int dims) {
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dims; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static VectorIndex.Entry entry(String id, String version, float[] vector, Map<String, String> attributes) {
        return new VectorIndex.Entry(id, version, vector, NOW, attributes);
    }

    @Test
    void findsTheNearestOfItsOwnVersionOnlyWithCosineScores() throws Exception {
        Random random = new Random(1);
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            float[] target = unit(random, 32);
            index.add(entry("exact", "v1", target, Map.of("color", "red")), NOW);
            for (int i = 0; i < 200; i++) {
                index.add(entry("other-" + i, "v1", unit(random, 32), Map.of("color", i % 2 == 0 ? "red" : "blue")), NOW);
            }
            // Version v2 has other dimensions and the same image ids: never compared with v1.
            for (int i = 0; i < 50; i++) {
                index.add(entry("other-" + i, "v2", unit(random, 16), Map.of()), NOW);
            }
            index.refresh();

            List<VectorIndex.Hit> hits = index.search("v1", target, 5, Map.of());
            assertEquals(5, hits.size());
            assertEquals("exact", hits.get(0).imageId());
            assertEquals(1.0f, hits.get(0).score(), 1e-4f, "cosine of a vector with itself");
            assertEquals(Map.of("color", "red"), hits.get(0).attributes());
            assertEquals(NOW, hits.get(0).eventTime());
            for (int i = 1; i < hits.size(); i++) {
                assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first");
            }

            List<VectorIndex.Hit> wider = index.search("v1", target, 5, 50, Map.of());
            assertEquals(5, wider.size(), "more candidates walked, still k answered");
            assertEquals("exact", wider.get(0).imageId());

            List<VectorIndex.Hit> blue = index.search("v1", target, 10, Map.of("color", "blue"));
            assertEquals(10, blue.size());
            assertTrue(blue.stream().allMatch(h -> h.attributes().get("color").equals("blue")));

            assertEquals(50, index.search("v2", unit(random, 16), 100, Map.of()).size());
            assertTrue(index.search("v3", target, 5, Map.of()).isEmpty(), "a version with nothing indexed");
            assertThrows(IllegalArgumentException.class, () -> index.search("v2", target, 5, Map.of()));

            Map<String, VectorIndex.VersionStats> versions = index.versions();
            assertEquals(201, versions.get("v1").documents());
            assertEquals(32, versions.get("v1").dimensions());
            assertEquals(50, versions.get("v2").documents());
        }
    }

    @Test
    void aReplayedEmbeddingReplacesItsDocument() throws Exception {
        Random random = new Random(2);
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            for (int round = 0; round < 3; round++) {
                index.add(entry("same", "v1", unit(random, 8), Map.of("round", "" + round)), NOW);
            }
            index.commit(Map.of());
            assertEquals(1, index.documents());
            assertEquals("2", index.search("v1", unit(random, 8), 5, Map.of()).get(0).attributes().get("round"));
        }
    }

    @Test
    void refusesVectorsOfAnotherDimensionForAVersion() throws Exception {
        Random random = new Random(3);
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            index.add(entry("a", "v1", unit(random, 8), Map.of()), NOW);
            VectorIndex.Entry wrong = entry("b", "v1", unit(random, 9), Map.of());
            assertTrue(index.problem(wrong).orElseThrow().contains("9 dimensions"));
            assertThrows(IllegalArgumentException.class, () -> index.add(wrong, NOW));
            VectorIndex.Entry huge = entry("c", "v9", unit(random, index.maxDimensions() + 1), Map.of());
            assertTrue(index.problem(huge).orElseThrow().contains("more than"));
        }
    }

    @Test
    void theCommitCarriesThePositionsAndWhatWasNotCommittedIsGoneAfterAReopen() throws Exception {
        Random random = new Random(4);
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            for (int i = 0; i < 10; i++) {
                index.add(entry("img-" + i, "v1", unit(random, 8), Map.of()), NOW);
            }
            index.commit(Map.of(VectorIndex.positionKey("clipstream.embeddings", 0), 10L,
                    VectorIndex.positionKey("clipstream.embeddings", 1), 3L));
            index.add(entry("uncommitted", "v1", unit(random, 8), Map.of()), NOW);
            index.commit(Map.of(VectorIndex.positionKey("clipstream.embeddings", 0), 11L));
            index.add(entry("lost", "v1", unit(random, 8), Map.of()), NOW.plusSeconds(5));
            index.refresh();
            assertEquals(12, index.documents(), "searchable before it is committed");
        }
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            assertEquals(11, index.documents(), "the last add was never committed");
            assertEquals(Optional.of(11L), index.committedPosition("clipstream.embeddings", 0));
            assertEquals(Optional.of(3L), index.committedPosition("clipstream.embeddings", 1),
                    "a partition not named in a commit keeps its position");
            assertEquals(Optional.empty(), index.committedPosition("clipstream.embeddings", 2));
            assertEquals(Map.of("v1", NOW), index.lastIndexed());
            assertEquals(8, index.versions().get("v1").dimensions(), "dimensions known after a reopen");
        }
    }

    @Test
    void aDeletedVersionIsGoneAfterTheCommit() throws Exception {
        Random random = new Random(5);
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            index.add(entry("a", "old", unit(random, 8), Map.of()), NOW);
            index.add(entry("a", "new", unit(random, 8), Map.of()), NOW);
            index.commit(Map.of());
            index.deleteVersion("old");
            index.commit(Map.of());
            assertEquals(List.of("new"), List.copyOf(index.versions().keySet()));
        }
        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            assertEquals(List.of("new"), List.copyOf(index.versions().keySet()));
            assertEquals(List.of("new"), List.copyOf(index.lastIndexed().keySet()));
        }
    }
}
