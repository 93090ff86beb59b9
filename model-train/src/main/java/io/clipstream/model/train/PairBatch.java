package io.clipstream.model.train;

import ai.djl.ndarray.NDArray;

/**
 * A batch ready for {@link ClipTrainer#step}: row {@code i} of each tensor is pair {@code i}.
 *
 * @param pixels [N, 3, size, size] float32, normalised
 * @param tokenIds [N, L] INT64
 */
public record PairBatch(NDArray pixels, NDArray tokenIds) implements AutoCloseable {

    public long size() {
        return pixels.getShape().get(0);
    }

    @Override
    public void close() {
        pixels.close();
        tokenIds.close();
    }
}
