package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.text.BpeTrainer;
import io.clipstream.model.text.ClipTokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

class TrainPairBatcherTest {

    private static final List<String> CAPTIONS = List.of("a red apple on a table", "two cats",
            "a long caption about a small dog that runs after a ball in the park", "sun");
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.fromMergeRules(new BpeTrainer(600).train(CAPTIONS));
    private static final ClipImageTransform TRANSFORM = ClipImageTransform.openAi(64);

    @Test
    void imagesGoThroughTheTransformAndCaptionsThroughTheTokenizer() {
        RgbImage atSize = image(64, 64, 1);
        RgbImage larger = image(80, 100, 2);
        List<TrainingPair> pairs = List.of(TrainingPair.ofRgb(atSize.pixels(), 64, CAPTIONS.get(0)),
                new TrainingPair(larger, CAPTIONS.get(1)));
        try (NDManager manager = Engines.newManager();
                PairBatch batch = new PairBatcher(TRANSFORM, TOKENIZER::tokenizeBatch).batch(pairs, manager)) {
            assertEquals(2, batch.size());
            NDArray expected = PixelTensors.of(manager, TRANSFORM, List.of(atSize, TRANSFORM.resizeAndCrop(larger)));
            assertArrayEquals(expected.toFloatArray(), batch.pixels().toFloatArray());
            assertEquals(new Shape(2, 77), batch.tokenIds().getShape());
            long[][] ids = TOKENIZER.tokenizeBatch(CAPTIONS.subList(0, 2));
            assertArrayEquals(ids[0], batch.tokenIds().get(0).toLongArray());
            assertArrayEquals(ids[1], batch.tokenIds().get(1).toLongArray());
        }
    }

    @Test
    void rgbBytesAtTrainingSizeMakeAPair() {
        byte[] rgb = new byte[32 * 32 * 3];
        TrainingPair pair = TrainingPair.ofRgb(rgb, 32, "x");
        assertEquals(32, pair.image().width());
        assertEquals(32, pair.image().height());
    }

    @Test
    void trimmingCutsOnlyPaddingAndChangesNoEmbedding() {
        List<TrainingPair> pairs = CAPTIONS.stream().map(c -> new TrainingPair(image(64, 64, c.length()), c)).toList();
        int longest = CAPTIONS.stream().mapToInt(c -> TOKENIZER.encode(c).length).max().orElseThrow();
        ClipConfig config = ClipConfig.preset("tiny").withVocabSize(TOKENIZER.vocabSize());
        try (NDManager manager = Engines.newManager()) {
            PairBatch full = new PairBatcher(TRANSFORM, TOKENIZER::tokenizeBatch).batch(pairs, manager);
            PairBatch trimmed = new PairBatcher(TRANSFORM, TOKENIZER::tokenizeBatch).trimmingPadding()
                    .batch(pairs, manager);
            assertEquals(new Shape(4, longest + 2), trimmed.tokenIds().getShape()); // start, ids, end
            ClipModel model = new ClipModel(config).initialize(manager);
            NDArray fromFull = model.encodeText(full.tokenIds());
            NDArray fromTrimmed = model.encodeText(trimmed.tokenIds());
            assertEquals(0f, fromFull.sub(fromTrimmed).abs().max().getFloat(), 1e-5f);
        }
    }

    private static RgbImage image(int width, int height, int seed) {
        byte[] pixels = new byte[width * height * 3];
        new Random(seed).nextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
