package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/** Seeded random image–text pairs: normal pixels, token rows framed as CLIP frames them. */
final class RandomPairs {

    private RandomPairs() {
    }

    static NDArray pixels(NDManager manager, ClipConfig config, int rows, long seed) {
        Random random = new Random(seed);
        int size = config.imageSize();
        float[] values = new float[rows * 3 * size * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, new Shape(rows, 3, size, size));
    }

    /** Start token, random ids, end-of-text (the highest id) at a random position, zero padding. */
    static NDArray tokenIds(NDManager manager, ClipConfig config, int rows, long seed) {
        Random random = new Random(seed);
        int vocab = config.vocabSize();
        long[][] ids = new long[rows][config.contextLength()];
        for (long[] row : ids) {
            int end = 2 + random.nextInt(14);
            row[0] = vocab - 2;
            for (int t = 1; t < end; t++) {
                row[t] = 1 + random.nextInt(vocab - 3);
            }
            row[end] = vocab - 1;
        }
        return manager.create(ids);
    }
}
