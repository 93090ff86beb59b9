package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

class TrainLossTest {

    @Test
    void isTheMeanOfBothCrossEntropiesComputedByHand() {
        double[][] image = {{1, 0}, {0.6, 0.8}, {0, 1}};
        double[][] text = {{0.8, 0.6}, {0, 1}, {-0.6, 0.8}};
        double scale = 10;
        double[][] logits = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                logits[i][j] = scale * (image[i][0] * text[j][0] + image[i][1] * text[j][1]);
            }
        }
        double perImage = 0;
        double perText = 0;
        for (int i = 0; i < 3; i++) {
            double rowSum = 0;
            double columnSum = 0;
            for (int j = 0; j < 3; j++) {
                rowSum += Math.exp(logits[i][j]);
                columnSum += Math.exp(logits[j][i]);
            }
            perImage += Math.log(rowSum) - logits[i][i];
            perText += Math.log(columnSum) - logits[i][i];
        }
        double expected = (perImage / 3 + perText / 3) / 2;

        try (NDManager manager = Engines.newManager()) {
            NDArray loss = ClipLoss.loss(floats(manager, image), floats(manager, text), manager.create((float) scale));
            assertEquals(expected, loss.getFloat(), 1e-5);
            assertEquals(new Shape(), loss.getShape());
        }
    }

    @Test
    void nearlyVanishesForPerfectlyAlignedPairsAtTheMaximumScale() {
        try (NDManager manager = Engines.newManager()) {
            NDArray unit = manager.eye(8);
            float atMax = (float) Math.exp(ClipModel.MAX_LOGIT_SCALE);
            assertTrue(ClipLoss.loss(unit, unit, manager.create(atMax)).getFloat() < 1e-30 + 1e-6);
            // At CLIP's initial scale 1/0.07 the same pairs still cost something.
            float initial = (float) Math.exp(ClipModel.INITIAL_LOGIT_SCALE);
            assertEquals(14.2857f, initial, 1e-3f);
            float loss = ClipLoss.loss(unit, unit, manager.create(initial)).getFloat();
            assertEquals(Math.log(1 + 7 * Math.exp(-initial)), loss, 1e-6);
        }
    }

    /**
     * OpenCLIP's local loss with features gathered WITH their gradient: the mean of the shards'
     * losses is the full batch's, and one backward through all shards gives the full batch's
     * gradient — what a multi-device step relies on.
     */
    @Test
    void shardsAgainstTheGatheredBatchGiveTheFullLossAndGradient() {
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(3);
            NDArray image = ClipModel.l2Normalize(manager.randomNormal(new Shape(12, 6)));
            NDArray text = ClipModel.l2Normalize(manager.randomNormal(new Shape(12, 6)));
            NDArray scale = manager.create(20f);
            image.setRequiresGradient(true);
            text.setRequiresGradient(true);

            float full;
            float[] fullImageGradient;
            float[] fullTextGradient;
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDArray loss = ClipLoss.loss(image, text, scale);
                collector.backward(loss);
                full = loss.getFloat();
            }
            fullImageGradient = image.getGradient().toFloatArray();
            fullTextGradient = text.getGradient().toFloatArray();
            // The same values with fresh gradient buffers (PyTorch accumulates into .grad).
            image = image.duplicate();
            text = text.duplicate();
            image.setRequiresGradient(true);
            text.setRequiresGradient(true);

            int shards = 3;
            long rows = 12 / shards;
            float sharded;
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDList images = new NDList();
                NDList texts = new NDList();
                for (int rank = 0; rank < shards; rank++) {
                    NDIndex mine = new NDIndex("{}:{}", rank * rows, (rank + 1) * rows);
                    images.add(image.get(mine)); // a shard's own rows
                    texts.add(text.get(mine));
                }
                // What all_gather with gradient hands every shard: all shards' rows, in rank order.
                NDArray allImages = NDArrays.concat(images);
                NDArray allTexts = NDArrays.concat(texts);
                NDArray total = manager.create(0f);
                for (int rank = 0; rank < shards; rank++) {
                    total = total.add(ClipLoss.localLoss(images.get(rank), texts.get(rank), allImages, allTexts,
                            rank * rows, scale));
                }
                NDArray mean = total.div(shards);
                collector.backward(mean);
                sharded = mean.getFloat();
            }
            assertEquals(full, sharded, 1e-5f);
            assertArrayClose(fullImageGradient, image.getGradient().toFloatArray(), 1e-6f);
            assertArrayClose(fullTextGradient, text.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void rejectsShardsOutsideTheGatheredBatch() {
        try (NDManager manager = Engines.newManager()) {
            NDArray local = manager.ones(new Shape(4, 2));
            NDArray all = manager.ones(new Shape(8, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipLoss.localLoss(local, local, all, all, 6, manager.create(1f)));
            assertTrue(e.getMessage().contains("6..10"), e.getMessage());
        }
    }

    private static NDArray floats(NDManager manager, double[][] values) {
        float[][] f = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            f[i] = new float[values[i].length];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = (float) values[i][j];
            }
        }
        return manager.create(f);
    }

    static void assertArrayClose(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, "max difference " + worst + " > " + tolerance);
    }
}
