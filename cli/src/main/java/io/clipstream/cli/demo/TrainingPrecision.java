package io.clipstream.cli.demo;

import io.clipstream.model.engine.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The precision the demo trains in: bf16 where the CPU computes it natively (AMX or AVX-512 BF16, which Linux lists
 * in {@code /proc/cpuinfo}), fp32 elsewhere, where PyTorch would emulate bf16 more slowly than fp32. Measured on a
 * Sapphire Rapids core pair (avx512_bf16), the demo's tiny model: 1.8 times the steps per second of fp32 (batch 64:
 * 7.9 against 4.4); the demo's default budget in steps follows, so that training takes about the same time (some
 * 3 minutes there) either way.
 *
 * @param precision what the trainer is told
 * @param reason why, for the demo's training line
 */
record TrainingPrecision(Precision precision, String reason) {

    /** The CPU flags that make bf16 matrix products native. */
    static final Set<String> BF16_FLAGS = Set.of("amx_bf16", "avx512_bf16");

    /** The demo's default budget when training in bf16 and in fp32: about the same time on the machine measured. */
    static final int BF16_STEPS = 1000;
    static final int FP32_STEPS = 550;

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Pattern FLAGS_LINE = Pattern.compile("^flags\\s*:\\s*(.*)$", Pattern.MULTILINE);

    /** The demo's training budget in steps when none is asked for. */
    int defaultSteps() {
        return precision == Precision.BF16 ? BF16_STEPS : FP32_STEPS;
    }

    /** Chosen for this machine's CPU. */
    static TrainingPrecision forThisCpu() {
        try {
            return Files.isReadable(CPUINFO) ? fromCpuinfo(Files.readString(CPUINFO))
                    : new TrainingPrecision(Precision.FP32, "no /proc/cpuinfo to tell whether the CPU has bf16");
        } catch (IOException | RuntimeException e) {
            return new TrainingPrecision(Precision.FP32, "/proc/cpuinfo could not be read: " + e.getMessage());
        }
    }

    /** Chosen from the text of a {@code /proc/cpuinfo}: the flags of its first processor. */
    static TrainingPrecision fromCpuinfo(String cpuinfo) {
        var flags = FLAGS_LINE.matcher(cpuinfo);
        if (!flags.find()) {
            return new TrainingPrecision(Precision.FP32, "the CPU lists no flags");
        }
        Set<String> present = Set.of(flags.group(1).trim().split("\\s+"));
        String native16 = BF16_FLAGS.stream().filter(present::contains).sorted().collect(Collectors.joining(", "));
        return native16.isEmpty()
                ? new TrainingPrecision(Precision.FP32, "the CPU has no native bf16 (amx_bf16 or avx512_bf16)")
                : new TrainingPrecision(Precision.BF16, "the CPU has " + native16);
    }
}
