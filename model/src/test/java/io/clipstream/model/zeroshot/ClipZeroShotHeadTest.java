package io.clipstream.model.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipFixture;
import io.clipstream.model.ClipModel;
import io.clipstream.model.TextTokenizer;
import io.clipstream.model.checkpoint.WeightImport;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class ClipZeroShotHeadTest {

    private static NDManager manager;
    private static ClipModel fixtureModel;
    private static ClipModel tiny;

    @BeforeAll
    static void models() throws Exception {
        manager = Engines.newManager();
        fixtureModel = WeightImport.load(ClipFixture.openAiWeights(), manager);
        Engines.pytorch().setRandomSeed(11);
        tiny = new ClipModel(ClipConfig.preset("tiny").withVocabSize(300)).initialize(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void oneTemplateReproducesClipsLogitsAsProbabilities() throws Exception {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> expected = ClipFixture.expected(scope);
            List<String> texts = ClipFixture.texts();
            long[][] ids = rows(expected.get("input_ids"));
            Map<String, long[]> vocabulary = new HashMap<>();
            for (int i = 0; i < texts.size(); i++) {
                vocabulary.put(texts.get(i), ids[i]);
            }
            TextTokenizer fixtureTokenizer = prompts -> prompts.stream().map(vocabulary::get).toArray(long[][]::new);

            try (ZeroShotHead head = ZeroShotHead.build(fixtureModel, fixtureTokenizer, texts, List.of("{}"), scope)) {
                NDArray probabilities = head.probabilities(expected.get("image_features"));
                NDArray reference = expected.get("logits_per_image").softmax(1);
                float error = ClipFixture.maxAbsDiff(probabilities, reference);
                assertTrue(error < 1e-5, "probabilities off by " + error);
                assertEquals(fixtureModel.logitScale(), head.scale());
            }
        }
    }

    @Test
    void templatesAreEnsembledPerLabelAsInThePaper() {
        List<String> labels = List.of("cat", "dog", "sports car");
        List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.", "{}", "itap of the {}");
        try (NDManager scope = manager.newSubManager();
                ZeroShotHead head = ZeroShotHead.build(tiny, ClipZeroShotHeadTest::toyTokenize, labels, templates,
                        100f, 5, scope)) {
            assertEquals(new Shape(3, 64), head.labelEmbeddings().getShape());
            for (int label = 0; label < labels.size(); label++) {
                // One prompt at a time: normalise, average, normalise again.
                NDList perTemplate = new NDList();
                for (String template : templates) {
                    long[][] ids = toyTokenize(List.of(template.replace("{}", labels.get(label))));
                    perTemplate.add(tiny.encodeTextNormalized(scope.create(ids)));
                }
                NDArray expected = ClipModel.l2Normalize(NDArrays.concat(perTemplate, 0).mean(new int[] {0}));
                float error = ClipFixture.maxAbsDiff(head.labelEmbeddings().get(label), expected);
                assertTrue(error < 1e-5, labels.get(label) + " off by " + error);
            }
        }
    }

    @Test
    void topKRanksByProbabilityForABatch() {
        List<String> labels = List.of("red", "green", "blue", "black");
        try (NDManager scope = manager.newSubManager();
                ZeroShotHead head = ZeroShotHead.build(tiny, ClipZeroShotHeadTest::toyTokenize, labels,
                        List.of("a {} emoji"), scope)) {
            NDArray images = tiny.encodeImage(scope.randomNormal(new Shape(5, 3, 64, 64)));
            int before = ((BaseNDManager) scope).getManagedArrays().size();
            NDArray probabilities = head.probabilities(images);
            assertEquals(before + 1, ((BaseNDManager) scope).getManagedArrays().size(), "only the result stays");
            float[] p = probabilities.toFloatArray();

            List<List<ZeroShotHead.Prediction>> top = head.topK(images, 10);
            assertEquals(5, top.size());
            for (int image = 0; image < 5; image++) {
                List<ZeroShotHead.Prediction> ranked = top.get(image);
                assertEquals(4, ranked.size(), "k is capped at the number of labels");
                float sum = 0;
                for (int r = 0; r < ranked.size(); r++) {
                    ZeroShotHead.Prediction prediction = ranked.get(r);
                    assertEquals(labels.get(prediction.index()), prediction.label());
                    assertEquals(p[image * 4 + prediction.index()], prediction.probability(), 1e-6f);
                    if (r > 0) {
                        assertTrue(prediction.probability() <= ranked.get(r - 1).probability());
                    }
                    sum += prediction.probability();
                }
                assertEquals(1f, sum, 1e-5f);
            }
        }
    }

    @Test
    void rejectsTemplatesWithoutPlaceholderAndShortTokenizers() {
        IllegalArgumentException template = assertThrows(IllegalArgumentException.class,
                () -> ZeroShotHead.build(tiny, ClipZeroShotHeadTest::toyTokenize, List.of("cat"), List.of("a photo"), manager));
        assertTrue(template.getMessage().contains("'a photo' has no {}"), template.getMessage());
        TextTokenizer lossy = texts -> toyTokenize(texts.subList(0, 1));
        IllegalStateException rows = assertThrows(IllegalStateException.class,
                () -> ZeroShotHead.build(tiny, lossy, List.of("cat", "dog"), List.of("{}"), manager));
        assertTrue(rows.getMessage().contains("1 rows for 2 prompts"), rows.getMessage());
    }

    /** A stand-in tokenizer: start 298, one id per character, end-of-text 299 (the highest). */
    static long[][] toyTokenize(List<String> texts) {
        long[][] ids = new long[texts.size()][77];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int length = Math.min(text.length(), 75);
            ids[i][0] = 298;
            for (int c = 0; c < length; c++) {
                ids[i][c + 1] = 1 + text.charAt(c) % 290;
            }
            ids[i][length + 1] = 299;
        }
        return ids;
    }

    private static long[][] rows(NDArray ids) {
        long[] flat = ids.toLongArray();
        int columns = (int) ids.getShape().get(1);
        List<long[]> rows = new ArrayList<>();
        for (int start = 0; start < flat.length; start += columns) {
            rows.add(Arrays.copyOfRange(flat, start, start + columns));
        }
        return rows.toArray(long[][]::new);
    }
}
