package io.clipstream.model.checkpoint;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ParameterMismatchException;
import io.clipstream.model.nn.Activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads published CLIP weights from safetensors by their names, in OpenAI/OpenCLIP naming (the
 * model's own: {@code visual.conv1.weight}, {@code transformer.resblocks.0.attn.in_proj_weight}, ...)
 * or Hugging Face {@code CLIPModel} naming ({@code vision_model.embeddings.patch_embedding.weight},
 * separate {@code self_attn.q_proj/k_proj/v_proj}, transposed {@code visual_projection} and
 * {@code text_projection}, ...). The naming is detected from the file; without a config the sizes
 * are read off the tensor shapes as OpenAI's {@code build_model} does (heads = width / 64;
 * the activation cannot be seen in weights, so it is QuickGELU as in every OpenAI model).
 *
 * <p>Non-parameter buffers ({@code position_ids}, {@code attn_mask}, OpenAI's JIT leftovers
 * {@code input_resolution}, {@code context_length}, {@code vocab_size}) are ignored. Any missing
 * or unexpected tensor and any shape mismatch is reported, all at once, in the file's own names.
 *
 * <p>Our own stored checkpoints, written in the model's names under a known config, load through
 * {@link StoredWeights}.
 */
public final class WeightImport {

    /** Head width of every OpenAI CLIP: heads = width / 64. */
    public static final int HEAD_WIDTH = 64;

    private static final Set<String> JIT_LEFTOVERS = Set.of("input_resolution", "context_length", "vocab_size");
    private static final Pattern RESBLOCK = Pattern.compile("^(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)$");

    private WeightImport() {
    }

    /** How a file names CLIP's tensors. */
    public enum Naming {
        /** OpenAI's {@code clip/model.py} and OpenCLIP: the model's own names. */
        OPENAI,
        /** Hugging Face {@code transformers.CLIPModel}. */
        HUGGING_FACE;

        /** The file tensors that make up the model parameter {@code name} (OpenAI naming). */
        public List<String> sources(String name) {
            return this == OPENAI ? List.of(name) : huggingFaceSources(name);
        }

        /** How the sources combine into the parameter. */
        Combine combine(String name) {
            if (this == OPENAI) {
                return Combine.AS_IS;
            }
            if (name.equals("visual.proj") || name.equals("text_projection")) {
                return Combine.TRANSPOSE; // nn.Linear weight [out, in] vs OpenAI's x @ proj
            }
            return name.endsWith("attn.in_proj_weight") || name.endsWith("attn.in_proj_bias")
                    ? Combine.STACK_ROWS : Combine.AS_IS;
        }
    }

    enum Combine {
        AS_IS, TRANSPOSE, STACK_ROWS
    }

    /** Detects the naming from tensor names (buffers aside). */
    public static Naming detectNaming(Collection<String> names) {
        boolean openAi = names.stream().anyMatch(n -> n.startsWith("visual.") || n.startsWith("token_embedding."));
        boolean huggingFace = names.stream().anyMatch(n -> n.startsWith("vision_model.") || n.startsWith("text_model."));
        if (openAi == huggingFace) {
            List<String> sample = names.stream().limit(5).toList();
            throw new IllegalArgumentException((openAi ? "Mixed OpenAI and Hugging Face" : "Unrecognised")
                    + " CLIP tensor names (e.g. " + sample + "): expected visual.* / token_embedding.* "
                    + "(OpenAI, OpenCLIP) or vision_model.* / text_model.* (Hugging Face CLIPModel)");
        }
        return openAi ? Naming.OPENAI : Naming.HUGGING_FACE;
    }

    /** Loads a CLIP whose config is read off the tensor shapes. */
    public static ClipModel load(Path file, NDManager manager) throws IOException {
        return load(file, null, manager);
    }

    /**
     * Loads a CLIP with the given config (null: read it off the tensor shapes) into {@code manager}.
     *
     * @throws ParameterMismatchException naming every missing/unexpected tensor and wrong shape
     */
    public static ClipModel load(Path file, ClipConfig config, NDManager manager) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(file);
        Map<String, Shape> shapes = parameterShapes(header);
        Naming naming = detectNaming(shapes.keySet());
        ClipConfig resolved = config != null ? config : inferConfig(naming, shapes, file);
        ClipModel model = new ClipModel(resolved);
        check(file, naming, model.parameterShapes(), shapes);

        try (NDManager staging = manager.newSubManager()) {
            Map<String, NDArray> tensors = Safetensors.read(file, staging, shapes::containsKey);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (String name : model.parameterShapes().keySet()) {
                weights.put(name, assemble(naming, name, tensors));
            }
            return model.loadWeights(manager, weights); // moves the weights out of staging
        }
    }

    /** The config that OpenAI's {@code build_model} would build for the file (QuickGELU). */
    public static ClipConfig inferConfig(Path file) throws IOException {
        Map<String, Shape> shapes = parameterShapes(Safetensors.readHeader(file));
        return inferConfig(detectNaming(shapes.keySet()), shapes, file);
    }

    private static ClipConfig inferConfig(Naming naming, Map<String, Shape> fileShapes, Path file) {
        List<String> missing = new ArrayList<>();
        Map<String, Shape> key = new LinkedHashMap<>();
        for (String name : List.of("visual.conv1.weight", "visual.positional_embedding",
                "visual.transformer.resblocks.0.mlp.c_fc.weight", "token_embedding.weight",
                "positional_embedding", "ln_final.weight", "text_projection")) {
            Shape shape = combinedShape(naming, name, fileShapes, missing);
            if (shape != null) {
                key.put(name, shape);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(file + ": cannot infer the CLIP config, missing " + missing);
        }
        Shape conv = key.get("visual.conv1.weight");
        int visionWidth = (int) conv.get(0);
        int patchSize = (int) conv.get(conv.dimension() - 1);
        int grid = (int) Math.round(Math.sqrt(key.get("visual.positional_embedding").get(0) - 1));
        int textWidth = (int) key.get("ln_final.weight").get(0);
        double mlpRatio = (double) key.get("visual.transformer.resblocks.0.mlp.c_fc.weight").get(0) / visionWidth;
        return new ClipConfig(
                patchSize * grid,
                patchSize,
                visionWidth,
                countLayers(naming, "visual.", fileShapes),
                heads(visionWidth, file),
                (int) key.get("positional_embedding").get(0),
                (int) key.get("token_embedding.weight").get(0),
                textWidth,
                countLayers(naming, "", fileShapes),
                heads(textWidth, file),
                (int) key.get("text_projection").get(1),
                Activation.QUICK_GELU,
                mlpRatio,
                ClipConfig.DEFAULT_LAYER_NORM_EPS);
    }

    private static int heads(int width, Path file) {
        int heads = width / HEAD_WIDTH;
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException(file + ": cannot infer attention heads for width " + width
                    + " (OpenAI: width / 64); pass a config");
        }
        return heads;
    }

    private static int countLayers(Naming naming, String tower, Map<String, Shape> fileShapes) {
        int layers = 0;
        while (naming.sources(tower + "transformer.resblocks." + layers + ".ln_1.weight").stream()
                .allMatch(fileShapes::containsKey)) {
            layers++;
        }
        return layers;
    }

    private static void check(Path file, Naming naming, Map<String, Shape> expected, Map<String, Shape> fileShapes) {
        List<String> missing = new ArrayList<>();
        List<String> wrongShapes = new ArrayList<>();
        Set<String> used = new HashSet<>();
        expected.forEach((name, shape) -> {
            used.addAll(naming.sources(name));
            Shape found = combinedShape(naming, name, fileShapes, missing);
            if (found != null && !found.equals(shape)) {
                wrongShapes.add(describe(naming, name, fileShapes) + " gives " + found + ", model needs " + shape);
            }
        });
        List<String> unexpected = fileShapes.keySet().stream().filter(n -> !used.contains(n)).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShapes.isEmpty()) {
            throw new ParameterMismatchException(file + " (" + naming + " naming)", missing, unexpected, wrongShapes);
        }
    }

    /** The parameter's shape once its sources are combined; null (and names added to missing) if absent. */
    private static Shape combinedShape(Naming naming, String name, Map<String, Shape> fileShapes, List<String> missing) {
        List<String> sources = naming.sources(name);
        List<String> absent = sources.stream().filter(s -> !fileShapes.containsKey(s)).toList();
        if (!absent.isEmpty()) {
            missing.addAll(absent);
            return null;
        }
        Shape first = fileShapes.get(sources.get(0));
        return switch (naming.combine(name)) {
            case AS_IS -> first;
            case TRANSPOSE -> first.dimension() == 2 ? new Shape(first.get(1), first.get(0)) : first;
            case STACK_ROWS -> {
                long rows = 0;
                for (String source : sources) {
                    Shape part = fileShapes.get(source);
                    if (part.dimension() != first.dimension()
                            || !part.slice(1).equals(first.slice(1)) || part.dimension() == 0) {
                        yield new Shape(-1); // parts that cannot stack: reported as a wrong shape
                    }
                    rows += part.get(0);
                }
                yield new Shape(rows).addAll(first.slice(1));
            }
        };
    }

    private static String describe(Naming naming, String name, Map<String, Shape> fileShapes) {
        if (naming == Naming.OPENAI) {
            return name;
        }
        StringBuilder d = new StringBuilder();
        for (String source : naming.sources(name)) {
            d.append(d.isEmpty() ? "" : " + ").append(source).append(' ').append(fileShapes.get(source));
        }
        return d.append(" (as ").append(name).append(')').toString();
    }

    private static NDArray assemble(Naming naming, String name, Map<String, NDArray> tensors) {
        List<String> sources = naming.sources(name);
        return switch (naming.combine(name)) {
            case AS_IS -> tensors.get(sources.get(0));
            // flatten copies into contiguous memory; the parameter should not be a strided view
            case TRANSPOSE -> {
                NDArray weight = tensors.get(sources.get(0));
                Shape s = weight.getShape();
                yield weight.transpose().flatten().reshape(s.get(1), s.get(0));
            }
            case STACK_ROWS -> {
                NDList parts = new NDList();
                sources.forEach(source -> parts.add(tensors.get(source)));
                yield NDArrays.concat(parts, 0);
            }
        };
    }

    private static Map<String, Shape> parameterShapes(Safetensors.Header header) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        header.tensors().forEach((name, info) -> {
            if (!isBuffer(name)) {
                shapes.put(name, info.shape());
            }
        });
        return shapes;
    }

    private static boolean isBuffer(String name) {
        return name.endsWith("position_ids") || name.endsWith("attn_mask") || JIT_LEFTOVERS.contains(name);
    }

    private static List<String> huggingFaceSources(String name) {
        return switch (name) {
            case "visual.conv1.weight" -> List.of("vision_model.embeddings.patch_embedding.weight");
            case "visual.class_embedding" -> List.of("vision_model.embeddings.class_embedding");
            case "visual.positional_embedding" -> List.of("vision_model.embeddings.position_embedding.weight");
            case "visual.ln_pre.weight", "visual.ln_pre.bias" ->
                    List.of("vision_model.pre_layrnorm." + lastPart(name)); // sic: HF's spelling
            case "visual.ln_post.weight", "visual.ln_post.bias" ->
                    List.of("vision_model.post_layernorm." + lastPart(name));
            case "visual.proj" -> List.of("visual_projection.weight");
            case "token_embedding.weight" -> List.of("text_model.embeddings.token_embedding.weight");
            case "positional_embedding" -> List.of("text_model.embeddings.position_embedding.weight");
            case "ln_final.weight", "ln_final.bias" -> List.of("text_model.final_layer_norm." + lastPart(name));
            case "text_projection" -> List.of("text_projection.weight");
            case "logit_scale" -> List.of("logit_scale");
            default -> huggingFaceLayerSources(name);
        };
    }

    private static List<String> huggingFaceLayerSources(String name) {
        Matcher m = RESBLOCK.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("No Hugging Face name known for " + name);
        }
        String layer = (m.group(1) != null ? "vision_model" : "text_model") + ".encoder.layers." + m.group(2) + ".";
        String part = m.group(3);
        return switch (part) {
            case "attn.in_proj_weight" -> List.of(layer + "self_attn.q_proj.weight",
                    layer + "self_attn.k_proj.weight", layer + "self_attn.v_proj.weight");
            case "attn.in_proj_bias" -> List.of(layer + "self_attn.q_proj.bias",
                    layer + "self_attn.k_proj.bias", layer + "self_attn.v_proj.bias");
            default -> List.of(layer + part
                    .replaceFirst("^ln_1\\.", "layer_norm1.")
                    .replaceFirst("^ln_2\\.", "layer_norm2.")
                    .replaceFirst("^attn\\.out_proj\\.", "self_attn.out_proj.")
                    .replaceFirst("^mlp\\.c_fc\\.", "mlp.fc1.")
                    .replaceFirst("^mlp\\.c_proj\\.", "mlp.fc2."));
        };
    }

    private static String lastPart(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
