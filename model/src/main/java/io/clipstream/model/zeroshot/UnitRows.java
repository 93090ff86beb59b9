package io.clipstream.model.zeroshot;

/**
 * Row-major float matrices whose rows are made unit length, as PyTorch's {@code F.normalize(x, dim=-1)}. In Java rather
 * than as an engine op: one pass over values already in hand costs tens of microseconds, where the engine's normalize
 * (three kernels, each waking the thread pool) cost hundreds for a batch of 256 × 512.
 */
public final class UnitRows {

    private UnitRows() {
    }

    /** Divides each of the {@code count} rows of {@code rows} by its L2 norm (at least F.normalize's 1e-12), in place. */
    public static void normalize(float[] rows, int count, int dimension) {
        for (int r = 0; r < count; r++) {
            int from = r * dimension;
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                norm += rows[from + d] * rows[from + d];
            }
            float inverse = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < dimension; d++) {
                rows[from + d] *= inverse;
            }
        }
    }
}
