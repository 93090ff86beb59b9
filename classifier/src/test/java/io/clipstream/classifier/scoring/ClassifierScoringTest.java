package io.clipstream.classifier.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.classifier.TinyCheckpoints;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.zeroshot.ZeroShotHead;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label embeddings and the scoring function against the model's own {@link ZeroShotHead}, and the top-k selection. */
class ClassifierScoringTest {

    @TempDir
    static Path storeDir;
    static ServedModel model;
    static NDManager manager;

    @BeforeAll
    static void load() throws Exception {
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 5);
        model = TinyCheckpoints.resolver(store).loadVersion("1");
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    private static LabelSet set(List<Label> labels, List<String> templates) {
        return LabelSet.newBuilder().setId("s").setRevision(1).setLabels(labels).setTemplates(templates)
                .setUpdatedTime(Instant.now()).build();
    }

    @Test
    void labelEmbeddingsEnsembleTemplatesExactlyAsTheZeroShotHead() {
        List<String> names = List.of("cat", "dog", "sports car");
        List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.", "itap of the {}");
        LabelSet set = set(names.stream().map(n -> new Label(n, List.of())).toList(), templates);
        try (LabelEmbeddings built = LabelEmbeddings.build(set, model);
                NDManager scope = manager.newSubManager();
                ZeroShotHead head = ZeroShotHead.build(model.model(), model.requireTokenizer()::tokenizeBatch, names,
                        templates, scope)) {
            assertArrayEquals(head.labelEmbeddings().toFloatArray(), built.rows(), 1e-5f);
            assertEquals(model.model().logitScale(), built.scale());
            assertEquals(names, built.names());

            NDArray images = scope.randomNormal(new Shape(7, 64));
            Scores scores = ZeroShotScorer.score(images.toFloatArray(), 7, built);
            assertArrayEquals(head.probabilities(images).toFloatArray(), scores.probabilities(), 1e-5f);
            NDArray cosine = ClipModel.l2Normalize(images).matMul(head.labelEmbeddings().transpose());
            assertArrayEquals(cosine.toFloatArray(), scores.similarities(), 1e-5f);
        }
    }

    @Test
    void aLabelWithItsOwnPromptsIsTheNormalisedMeanOfThose() {
        LabelSet set = set(List.of(new Label("cat", List.of("my {} asleep", "a tabby")), new Label("dog", List.of())),
                List.of("a photo of a {}."));
        try (LabelEmbeddings built = LabelEmbeddings.build(set, model); NDManager scope = manager.newSubManager()) {
            NDArray own = model.embedTexts(scope, List.of("my cat asleep", "a tabby")).mean(new int[] {0});
            NDArray expectedCat = ClipModel.l2Normalize(own);
            NDArray expectedDog = model.embedTexts(scope, List.of("a photo of a dog."));
            float[] rows = built.rows();
            assertArrayEquals(expectedCat.toFloatArray(), java.util.Arrays.copyOfRange(rows, 0, 64), 1e-5f);
            assertArrayEquals(expectedDog.toFloatArray(), java.util.Arrays.copyOfRange(rows, 64, 128), 1e-5f);
        }
    }

    @Test
    void theScorerRefusesAMatrixOfTheWrongSize() {
        LabelSet set = set(List.of(new Label("cat", List.of())), List.of("{}"));
        try (LabelEmbeddings built = LabelEmbeddings.build(set, model)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroShotScorer.score(new float[65], 1, built))
                    .getMessage().contains("need 64 values, got 65"));
        }
    }

    @Test
    void topKIsTheBestKOfAFullSortWithTiesKeepingLabelOrder() {
        Random random = new Random(3);
        int images = 50;
        int labels = 37;
        float[] p = new float[images * labels];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextInt(12) / 12f; // many ties
        }
        Scores scores = new Scores(images, labels, new float[p.length], p);
        for (int image = 0; image < images; image++) {
            int row = image;
            assertEquals(0, scores.topK(image, 0).length, "a set written around the API may ask for none");
            for (int k : new int[] {1, 5, 37, 100}) {
                int[] expected = IntStream.range(0, labels).boxed()
                        .sorted(Comparator.comparingDouble((Integer l) -> -p[row * labels + l]).thenComparing(l -> l))
                        .limit(k).mapToInt(Integer::intValue).toArray();
                assertArrayEquals(expected, scores.topK(image, k), "image " + image + " k " + k);
            }
        }
    }
}
