package io.clipstream.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The number type the encoders compute in. Weights stay float32 (the master copy); a lower
 * precision runs on a cast copy, and the features come back as float32.
 */
public enum Precision {
    /** Float32 throughout: the reference. */
    FP32,
    /** bfloat16 compute (AMX / AVX-512 BF16 on recent CPUs, tensor cores on GPUs), float32 range. */
    BF16,
    /** float16 compute: GPU only (no fast fp16 on the CPUs this runs on, and its range overflows more easily). */
    FP16;

    /** The setting's spelling: {@code fp32}, {@code bf16}, {@code fp16}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32|bf16|fp16} (any case). */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown precision '" + text + "': use one of "
                + Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", ")));
    }

    /** {@link #parse(String)} of a setting, the error naming it: {@code clipstream.model.precision: Unknown ...}. */
    public static Precision parseSetting(String property, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    /** Throws a clear error where this precision cannot run on {@code device}. */
    public Precision requireSupportedOn(Device device) {
        if (this == FP16 && !device.isGpu()) {
            throw new IllegalArgumentException("Precision fp16 runs only on a GPU, but the device is " + device
                    + ": use bf16 or fp32 on the CPU");
        }
        return this;
    }

    /**
     * {@code x} (floating) in this precision; float32 arrays are returned as they are for FP32. For inference: the
     * fp32 and fp16 casts are DJL's {@code toType}, which autograd does not follow (its native cast runs under a
     * {@code NoGradGuard}); training casts through {@link MixedPrecisionStore}.
     */
    public NDArray cast(NDArray x) {
        return switch (this) {
            case FP32 -> x.toType(DataType.FLOAT32, false);
            case BF16 -> Bfloat16.of(x);
            case FP16 -> x.toType(DataType.FLOAT16, false);
        };
    }
}
