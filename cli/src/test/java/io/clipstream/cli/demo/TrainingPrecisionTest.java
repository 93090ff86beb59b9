package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.engine.Precision;
import org.junit.jupiter.api.Test;

class TrainingPrecisionTest {

    private static String cpuinfo(String flags) {
        return "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: " + flags + "\nbugs\t\t: spectre_v1\n\n"
                + "processor\t: 1\nflags\t\t: " + flags + "\n";
    }

    @Test
    void bf16WhereTheCpuHasAmxOrAvx512Bf16() {
        TrainingPrecision amx = TrainingPrecision.fromCpuinfo(cpuinfo("fpu sse avx512f avx512_bf16 amx_bf16 amx_tile"));
        assertEquals(Precision.BF16, amx.precision());
        assertEquals("the CPU has amx_bf16, avx512_bf16", amx.reason());
        assertEquals(Precision.BF16, TrainingPrecision.fromCpuinfo(cpuinfo("fpu avx512f avx512_bf16")).precision());
    }

    @Test
    void fp32WhereBf16WouldBeEmulated() {
        TrainingPrecision avx2 = TrainingPrecision.fromCpuinfo(cpuinfo("fpu sse avx avx2 fma avx512f"));
        assertEquals(Precision.FP32, avx2.precision());
        assertTrue(avx2.reason().contains("no native bf16"), avx2.reason());
        // A flag that merely contains the name is not the flag.
        assertEquals(Precision.FP32, TrainingPrecision.fromCpuinfo(cpuinfo("fpu xamx_bf16x")).precision());
    }

    @Test
    void theDefaultBudgetIsMoreStepsInTheFasterPrecision() {
        assertEquals(TrainingPrecision.BF16_STEPS, new TrainingPrecision(Precision.BF16, "native").defaultSteps());
        assertEquals(TrainingPrecision.FP32_STEPS, new TrainingPrecision(Precision.FP32, "emulated").defaultSteps());
        assertTrue(TrainingPrecision.BF16_STEPS > TrainingPrecision.FP32_STEPS);
    }

    @Test
    void fp32WhenTheCpuinfoSaysNothing() {
        TrainingPrecision none = TrainingPrecision.fromCpuinfo("Processor : AArch64\nFeatures : fp asimd\n");
        assertEquals(Precision.FP32, none.precision());
        assertEquals("the CPU lists no flags", none.reason());
    }
}
