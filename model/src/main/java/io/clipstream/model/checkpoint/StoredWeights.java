package io.clipstream.model.checkpoint;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ParameterMismatchException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a stored checkpoint (the "stored" stage of a checkpoint's life): {@code weights.safetensors} as
 * {@link Checkpoints#save} writes it, every parameter under the model's own name in float32, read back under the
 * manifest's config. Published weights (OpenAI, OpenCLIP, Hugging Face), whose naming and config have to be found
 * out, come in through {@link WeightImport} instead.
 */
public final class StoredWeights {

    private StoredWeights() {
    }

    /** Writes the model's parameters to {@code file}. */
    static void write(Path file, ClipModel model) throws IOException {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            weights.put(entry.getKey(), entry.getValue().getArray());
        }
        Safetensors.write(file, weights, Map.of("format", "pt"));
    }

    /**
     * Loads the weights into a model of {@code config}, in {@code manager}.
     *
     * @throws ParameterMismatchException naming every missing/unexpected tensor and wrong shape
     */
    public static ClipModel read(Path file, ClipConfig config, NDManager manager) throws IOException {
        ClipModel model = new ClipModel(config);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Safetensors.readHeader(file).tensors().forEach((name, info) -> shapes.put(name, info.shape()));
        ParameterMismatchException.check(file.toString(), model.parameterShapes(), shapes, name -> name);
        try (NDManager staging = manager.newSubManager()) {
            return model.loadWeights(manager, Safetensors.read(file, staging)); // moves the weights out of staging
        }
    }
}
