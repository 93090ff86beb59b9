package io.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.engine.Engines;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

class ClipModelTest {

    private static NDManager manager;
    private static ClipModel tiny;

    @BeforeAll
    static void createTinyModel() {
        manager = Engines.newManager();
        Engines.pytorch().setRandomSeed(7);
        tiny = new ClipModel(ClipConfig.preset("tiny").withVocabSize(1000)).initialize(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void vitB32HasExactlyOpenAisParameterCountFromShapes() {
        // Shapes are fixed at construction: counting allocates nothing.
        assertEquals(151_277_313L, new ClipModel(ClipConfig.preset("vit-b-32")).parameterCount());
    }

    @Test
    void vitB32InitialisedHoldsThatManyFloats() {
        try (NDManager big = Engines.newManager()) {
            ClipModel model = new ClipModel(ClipConfig.preset("vit-b-32")).initialize(big);
            long floats = model.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertEquals(151_277_313L, floats);
            assertEquals(ClipModel.INITIAL_LOGIT_SCALE, model.namedParameters().get("logit_scale").getArray().getFloat());
        }
    }

    @Test
    void parametersCarryOpenAiStateDictNames() {
        Map<String, Shape> shapes = new ClipModel(ClipConfig.preset("vit-b-32")).parameterShapes();
        assertEquals(new Shape(768, 3, 32, 32), shapes.get("visual.conv1.weight"));
        assertEquals(new Shape(768), shapes.get("visual.class_embedding"));
        assertEquals(new Shape(50, 768), shapes.get("visual.positional_embedding"));
        assertEquals(new Shape(2304, 768), shapes.get("visual.transformer.resblocks.11.attn.in_proj_weight"));
        assertEquals(new Shape(3072, 768), shapes.get("visual.transformer.resblocks.0.mlp.c_fc.weight"));
        assertEquals(new Shape(768, 512), shapes.get("visual.proj"));
        assertEquals(new Shape(49408, 512), shapes.get("token_embedding.weight"));
        assertEquals(new Shape(77, 512), shapes.get("positional_embedding"));
        assertEquals(new Shape(512), shapes.get("transformer.resblocks.11.ln_2.bias"));
        assertEquals(new Shape(512), shapes.get("ln_final.weight"));
        assertEquals(new Shape(512, 512), shapes.get("text_projection"));
        assertEquals(new Shape(), shapes.get("logit_scale"));
        assertFalse(shapes.containsKey("visual.conv1.bias"), "CLIP's patch embedding has no bias");
        // vision: 8 + 12 per block; text: 5 + 12 per block; logit_scale
        assertEquals(8 + 12 * 12 + 5 + 12 * 12 + 1, shapes.size());
    }

    @Test
    void encodersGiveProjectedFeaturesAndUnitEmbeddings() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels = scope.randomNormal(new Shape(3, 3, 64, 64));
            NDArray image = tiny.encodeImage(pixels);
            assertEquals(new Shape(3, 64), image.getShape());
            NDArray unit = tiny.encodeTextNormalized(ids(scope, 5, 9));
            assertEquals(new Shape(2, 64), unit.getShape());
            float[] norms = unit.norm(new int[] {1}).toFloatArray();
            for (float norm : norms) {
                assertEquals(1f, norm, 1e-5f);
            }
            NDArray logits = tiny.logits(image, unit);
            assertEquals(new Shape(3, 2), logits.getShape());
            float bound = tiny.logitScale() + 1e-4f; // |scale × cosine| ≤ scale
            assertTrue(logits.abs().max().getFloat() <= bound);
        }
    }

    @Test
    void textFeaturesDependOnTokensUpToEndOfTextOnly() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray base = ids(scope, 6);
            NDArray paddedDifferently = base.duplicate();
            paddedDifferently.set(new NDIndex("0, 20:30"), 17); // after end-of-text: causally invisible
            NDArray earlierChanged = base.duplicate();
            earlierChanged.set(new NDIndex("0, 2"), 17); // before end-of-text
            NDArray a = tiny.encodeText(base);
            assertTrue(ClipFixture.maxAbsDiff(a, tiny.encodeText(paddedDifferently)) < 1e-6);
            assertTrue(ClipFixture.maxAbsDiff(a, tiny.encodeText(earlierChanged)) > 1e-3);
        }
    }

    @Test
    void shorterRowsThanTheContextGiveTheSameFeatures() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray full = ids(scope, 4, 9);
            NDArray cut = full.get(":, :12"); // end-of-text at 4 and 9: the rest is padding
            assertTrue(ClipFixture.maxAbsDiff(tiny.encodeText(full), tiny.encodeText(cut)) < 1e-5);
        }
    }

    @Test
    void batchesGiveTheSameFeaturesAsSingleInputs() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels = scope.randomNormal(new Shape(4, 3, 64, 64));
            NDArray batch = tiny.encodeImage(pixels);
            for (int i = 0; i < 4; i++) {
                NDArray one = tiny.encodeImage(pixels.get(new NDIndex("{}:{}", i, i + 1)));
                assertTrue(ClipFixture.maxAbsDiff(batch.get(i), one.get(0)) < 1e-5);
            }
        }
    }

    @Test
    void inferenceLeavesNoArraysBehind() {
        try (NDManager caller = manager.newSubManager()) {
            NDArray pixels = caller.randomNormal(new Shape(2, 3, 64, 64));
            NDArray tokens = ids(caller, 4, 8);
            int modelArrays = managed(manager);
            for (int i = 0; i < 3; i++) {
                int before = managed(caller);
                NDArray image = tiny.encodeImageNormalized(pixels);
                NDArray text = tiny.encodeTextNormalized(tokens);
                tiny.logits(image, text).close();
                image.close();
                text.close();
                assertEquals(before, managed(caller), "every intermediate is closed");
            }
            assertEquals(modelArrays, managed(manager), "nothing joins the model's manager");
        }
    }

    @Test
    void inferenceRecordsNoGraphEvenOnThreadsWithGradModeOn() throws Exception {
        AtomicReference<String> backwardError = new AtomicReference<>();
        AtomicBoolean gradModeOnThere = new AtomicBoolean();
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels = scope.randomNormal(new Shape(1, 3, 64, 64));
            // PyTorch's grad mode is per thread and on by default: a fresh thread has it on.
            Thread worker = new Thread(() -> {
                gradModeOnThere.set(JniUtils.isGradMode());
                try (NDArray image = tiny.encodeImage(pixels); NDArray sum = image.sum();
                        NDArray seed = sum.onesLike()) {
                    // Backward only works through a recorded graph.
                    JniUtils.backward((PtNDArray) sum, (PtNDArray) seed, false, false);
                    backwardError.set("none: a graph was recorded");
                } catch (EngineException expected) {
                    backwardError.set(expected.getMessage());
                }
            });
            worker.start();
            worker.join();
        }
        assertTrue(gradModeOnThere.get());
        assertTrue(backwardError.get().contains("does not require grad"), backwardError.get());
    }

    @Test
    void contrastiveLossGivesEveryParameterAGradient() {
        ClipModel model = tiny;
        try (NDManager step = manager.newSubManager()) {
            NDArray pixels = step.randomNormal(new Shape(4, 3, 64, 64));
            NDArray tokens = ids(step, 3, 7, 12, 5);
            ParameterStore parameters = new ParameterStore(step, false);
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDList out = model.forward(parameters, new NDList(pixels, tokens), true);
                NDArray logits = out.get(0).matMul(out.get(1).transpose()).mul(out.get(2));
                NDArray loss = symmetricCrossEntropy(logits);
                collector.backward(loss);
            }
            List<String> withoutGradient = new ArrayList<>();
            for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
                try (NDArray gradient = p.getValue().getArray().getGradient()) {
                    if (gradient.abs().sum().getFloat() == 0f) {
                        withoutGradient.add(p.getKey());
                    }
                }
            }
            assertEquals(List.of(), withoutGradient);
        }
    }

    @Test
    void rejectsTokenIdsOutsideTheVocabularyAndWrongPixelShapes() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray tooLarge = scope.create(new long[][] {{49406, 1, 49407}});
            IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class, () -> tiny.encodeText(tooLarge));
            assertTrue(vocab.getMessage().contains("[0, 1000)"), vocab.getMessage());
            IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
                    () -> tiny.encodeText(scope.zeros(new Shape(1, 77))));
            assertTrue(floats.getMessage().contains("INT32 or INT64"), floats.getMessage());
            IllegalArgumentException pixels = assertThrows(IllegalArgumentException.class,
                    () -> tiny.encodeImage(scope.zeros(new Shape(1, 3, 32, 32))));
            assertTrue(pixels.getMessage().contains("[N, 3, 64, 64]"), pixels.getMessage());
        }
    }

    /** CLIP's loss: cross-entropy of matching pairs along both axes. */
    static NDArray symmetricCrossEntropy(NDArray logits) {
        long n = logits.getShape().get(0);
        NDArray eye = logits.getManager().eye((int) n);
        NDArray perImage = logits.logSoftmax(1).mul(eye).sum().neg();
        NDArray perText = logits.logSoftmax(0).mul(eye).sum().neg();
        return perImage.add(perText).div(2 * n);
    }

    /** Rows of ids: start token, a few tokens, end-of-text at the given positions, zero padding. */
    static NDArray ids(NDManager manager, int... endPositions) {
        long[][] rows = new long[endPositions.length][77];
        for (int r = 0; r < rows.length; r++) {
            rows[r][0] = 998; // stands in for <|startoftext|>
            for (int t = 1; t < endPositions[r]; t++) {
                rows[r][t] = 1 + (r * 31 + t * 7) % 900;
            }
            rows[r][endPositions[r]] = 999; // the highest id: <|endoftext|>
        }
        return manager.create(rows);
    }

    private static int managed(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }
}
