package io.clipstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The FLOP/s of a 1024³ float32 matrix product on a device: the practical ceiling that model-FLOPs utilisation is
 * measured against when no datasheet peak is configured (on a CPU it is close to what BLAS can do at all).
 */
public final class MatmulCeiling {

    private static final int N = 1024;

    private MatmulCeiling() {
    }

    /**
     * The best of the products run for about {@code budgetNanos} after two warm-ups: a ceiling, and on shared cores
     * a neighbour's work only ever makes a product slower.
     */
    public static double measure(NDManager manager, long budgetNanos) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(N, N));
            NDArray b = scope.randomNormal(new Shape(N, N));
            for (int i = 0; i < 2; i++) {
                a.matMul(b).close(); // first-call allocation and kernel choice
            }
            int runs = 0;
            long best = Long.MAX_VALUE;
            long start = System.nanoTime();
            while (runs < 3 || System.nanoTime() - start < budgetNanos) {
                long t0 = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0); // waits for the device
                }
                best = Math.min(best, System.nanoTime() - t0);
                runs++;
            }
            return 2.0 * N * N * N / (best / 1e9);
        }
    }
}
