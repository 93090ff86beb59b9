package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;
import org.junit.jupiter.api.Test;

/** The ceiling the MFU is measured against, timed in the precision the run trains in. */
class MatmulCeilingTest {

    @Test
    void theCeilingIsTimedInFloat32AndInBf16() {
        try (NDManager manager = Engines.newManager()) {
            for (Precision precision : new Precision[] {Precision.FP32, Precision.BF16}) {
                double flops = MatmulCeiling.measure(manager, 0, precision);
                // 3 products of 2·1024³ FLOPs: anything from a slow shared core (1 GFLOP/s) to a GPU is plausible.
                assertTrue(Double.isFinite(flops) && flops > 1e9, precision.label() + ": " + flops);
                System.out.printf("matmul ceiling %s: %.1f GFLOP/s%n", precision.label(), flops / 1e9);
            }
        }
    }
}
