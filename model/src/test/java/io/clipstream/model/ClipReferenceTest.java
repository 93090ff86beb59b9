package io.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.checkpoint.WeightImport;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

/**
 * The clip-tiny fixture: random weights in OpenAI and in Hugging Face naming, and outputs of an
 * independent float64 implementation of OpenAI's model.py. Both files must reproduce them.
 */
class ClipReferenceTest {

    /** float32 against a float64 reference. */
    private static final float TOLERANCE = 1e-4f;

    private static NDManager manager;
    private static Map<String, NDArray> expected;

    @BeforeAll
    static void readExpected() throws Exception {
        manager = Engines.newManager();
        expected = ClipFixture.expected(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "hf"})
    void reproducesTheReferenceOutputs(String naming) throws Exception {
        Path weights = naming.equals("openai") ? ClipFixture.openAiWeights() : ClipFixture.huggingFaceWeights();
        try (NDManager modelManager = manager.newSubManager()) {
            ClipModel model = WeightImport.load(weights, modelManager);
            assertEquals(ClipFixture.config(), model.config(), "config read off the tensor shapes");

            NDArray image = model.encodeImage(expected.get("pixel_values"));
            NDArray text = model.encodeText(expected.get("input_ids"));
            NDArray logits = model.logits(image, text);
            float imageError = ClipFixture.maxAbsDiff(image, expected.get("image_features"));
            float textError = ClipFixture.maxAbsDiff(text, expected.get("text_features"));
            float logitsError = ClipFixture.maxAbsDiff(logits, expected.get("logits_per_image"));
            System.out.printf("clip-tiny %s weights: max |error| image_features %.3g, text_features %.3g,"
                    + " logits_per_image %.3g%n", naming, imageError, textError, logitsError);
            assertTrue(imageError < TOLERANCE, "image_features off by " + imageError);
            assertTrue(textError < TOLERANCE, "text_features off by " + textError);
            assertTrue(logitsError < TOLERANCE * 100, "logits_per_image (×scale ≤ 100) off by " + logitsError);
        }
    }
}
