package io.clipstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.model.engine.Bfloat16;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.Precision;

/**
 * The FLOP/s of a 1024³ matrix product on a device, in the precision training computes in (bf16 products run on
 * other units, AMX / AVX-512 BF16 or tensor cores, than float32 ones): the practical ceiling that model-FLOPs
 * utilisation is measured against when no datasheet peak is configured (on a CPU it is close to what BLAS can do at
 * all).
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
        return measure(manager, budgetNanos, Precision.FP32);
    }

    /** {@link #measure(NDManager, long)} of products in {@code precision}. */
    public static double measure(NDManager manager, long budgetNanos, Precision precision) {
        try (NDManager scope = manager.newSubManager(); GradMode off = GradMode.disabled()) {
            NDArray a = precision.cast(scope.randomNormal(new Shape(N, N)));
            NDArray b = precision.cast(scope.randomNormal(new Shape(N, N)));
            for (int i = 0; i < 2; i++) {
                a.matMul(b).close(); // first-call allocation and kernel choice
            }
            int runs = 0;
            long best = Long.MAX_VALUE;
            long start = System.nanoTime();
            while (runs < 3 || System.nanoTime() - start < budgetNanos) {
                long t0 = System.nanoTime();
                try (NDArray product = a.matMul(b); NDArray corner = Bfloat16.toFloat32(product.get(0, 0))) {
                    corner.getFloat(); // waits for the device; read as float32, whatever the product's type
                }
                best = Math.min(best, System.nanoTime() - t0);
                runs++;
            }
            return 2.0 * N * N * N / (best / 1e9);
        }
    }
}
