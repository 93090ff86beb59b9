package io.clipstream.model.nn;

import io.clipstream.model.engine.Scalars;

import ai.djl.ndarray.NDArray;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** The MLP non-linearity of a transformer block, named as OpenCLIP's configs name it. */
public enum Activation {

    /** {@code x * sigmoid(1.702 x)}: what OpenAI trained its CLIP models with. */
    QUICK_GELU("quick_gelu") {
        @Override
        public NDArray apply(NDArray x) {
            // A PyTorch-owned constant: the backward of mul reads it (see Scalars).
            try (NDArray factor = Scalars.like(x, 1.702f); NDArray scaled = x.mul(factor);
                    NDArray gate = scaled.getNDArrayInternal().sigmoid()) {
                return x.mul(gate);
            }
        }
    },

    /** The exact (erf) GELU, as {@code torch.nn.GELU()}: OpenCLIP's default for its own models. */
    GELU("gelu") {
        @Override
        public NDArray apply(NDArray x) {
            return x.getNDArrayInternal().gelu();
        }
    };

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** Applies the activation; the result joins {@code x}'s manager. */
    public abstract NDArray apply(NDArray x);

    @JsonValue
    public String configName() {
        return configName;
    }

    @JsonCreator
    public static Activation of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.configName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown activation '" + name + "': expected quick_gelu or gelu"));
    }
}
