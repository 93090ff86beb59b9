package io.clipstream.model;

import io.clipstream.model.nn.Activation;
import io.clipstream.model.nn.TransformerSpec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sizes of a CLIP model (OpenAI's ViT variant), as data: one record, no subclasses per size.
 * JSON uses the snake_case names of the clip-tiny fixture's {@code case.json}; {@code mlp_ratio}
 * and {@code layer_norm_eps} may be left out (4 and 1e-5, as every OpenAI model).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"image_size", "patch_size", "vision_width", "vision_layers", "vision_heads",
    "context_length", "vocab_size", "text_width", "text_layers", "text_heads", "embed_dim",
    "activation", "mlp_ratio", "layer_norm_eps"})
public record ClipConfig(
        int imageSize,
        int patchSize,
        int visionWidth,
        int visionLayers,
        int visionHeads,
        int contextLength,
        int vocabSize,
        int textWidth,
        int textLayers,
        int textHeads,
        int embedDim,
        Activation activation,
        double mlpRatio,
        double layerNormEps) {

    public static final double DEFAULT_MLP_RATIO = 4.0;
    public static final double DEFAULT_LAYER_NORM_EPS = 1e-5;
    /** OpenAI's BPE vocabulary: 256 bytes, 256 bytes + {@code </w>}, 48,894 merges, start and end. */
    public static final int CLIP_VOCAB_SIZE = 49408;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The presets, each a JSON file beside this class in {@code presets/} (as OpenCLIP's {@code model_configs/}), so
     * that a reader sees {@code "vision_width": 768, "vision_layers": 12}:
     * <ul>
     * <li>{@code vit-b-32}, {@code vit-b-16}, {@code vit-l-14}: as OpenAI published them;</li>
     * <li>{@code tiny}: tests and smoke runs, 8×8 patches of 64 px images (65 tokens), 64-wide heads as OpenAI's;</li>
     * <li>{@code small}: CPU training on small images (e.g. 64-px emoji upscaled), 6×6 patches of 16 px, four layers
     * of width 256 per tower; ~19M parameters, 12.6M of them the CLIP token embedding (a trained tokenizer with a
     * small vocabulary shrinks that through {@link #withVocabSize});</li>
     * <li>{@code clip-tiny-fixture}: the shared reference model ({@code ../shared/fixtures/clip-tiny/case.json}).</li>
     * </ul>
     */
    private static final List<String> PRESET_NAMES = List.of("vit-b-32", "vit-b-16", "vit-l-14", "tiny", "small",
            "clip-tiny-fixture");

    private static final Map<String, ClipConfig> PRESETS = presets();

    public ClipConfig {
        requirePositive("image_size", imageSize);
        requirePositive("patch_size", patchSize);
        requirePositive("context_length", contextLength);
        requirePositive("vocab_size", vocabSize);
        requirePositive("embed_dim", embedDim);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is required (quick_gelu or gelu)");
        }
        if (!(mlpRatio > 0) || !(layerNormEps > 0)) {
            throw new IllegalArgumentException("mlp_ratio and layer_norm_eps must be positive");
        }
        // Validates widths, layers and heads of both towers.
        new TransformerSpec(visionWidth, visionLayers, visionHeads, mlpWidth(visionWidth, mlpRatio),
                activation, layerNormEps);
        new TransformerSpec(textWidth, textLayers, textHeads, mlpWidth(textWidth, mlpRatio),
                activation, layerNormEps);
    }

    /** The OpenAI-layout config with the default MLP ratio and LayerNorm epsilon. */
    public static ClipConfig of(int imageSize, int patchSize, int visionWidth, int visionLayers,
            int visionHeads, int contextLength, int vocabSize, int textWidth, int textLayers,
            int textHeads, int embedDim, Activation activation) {
        return new ClipConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads,
                contextLength, vocabSize, textWidth, textLayers, textHeads, embedDim, activation,
                DEFAULT_MLP_RATIO, DEFAULT_LAYER_NORM_EPS);
    }

    @JsonCreator
    static ClipConfig fromJson(
            @JsonProperty(value = "image_size", required = true) int imageSize,
            @JsonProperty(value = "patch_size", required = true) int patchSize,
            @JsonProperty(value = "vision_width", required = true) int visionWidth,
            @JsonProperty(value = "vision_layers", required = true) int visionLayers,
            @JsonProperty(value = "vision_heads", required = true) int visionHeads,
            @JsonProperty(value = "context_length", required = true) int contextLength,
            @JsonProperty(value = "vocab_size", required = true) int vocabSize,
            @JsonProperty(value = "text_width", required = true) int textWidth,
            @JsonProperty(value = "text_layers", required = true) int textLayers,
            @JsonProperty(value = "text_heads", required = true) int textHeads,
            @JsonProperty(value = "embed_dim", required = true) int embedDim,
            @JsonProperty(value = "activation", required = true) Activation activation,
            @JsonProperty("mlp_ratio") Double mlpRatio,
            @JsonProperty("layer_norm_eps") Double layerNormEps) {
        return new ClipConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads,
                contextLength, vocabSize, textWidth, textLayers, textHeads, embedDim, activation,
                mlpRatio != null ? mlpRatio : DEFAULT_MLP_RATIO,
                layerNormEps != null ? layerNormEps : DEFAULT_LAYER_NORM_EPS);
    }

    /**
     * A named preset: {@code vit-b-32}, {@code vit-b-16}, {@code vit-l-14} (as OpenAI published
     * them), {@code tiny}, {@code small} (for CPU training) and {@code clip-tiny-fixture} (the
     * shared reference model). Names are case-insensitive, so OpenCLIP's {@code ViT-B-32} works too.
     */
    public static ClipConfig preset(String name) {
        ClipConfig config = PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (config == null) {
            throw new IllegalArgumentException(
                    "Unknown CLIP preset '" + name + "'; known: " + PRESETS.keySet());
        }
        return config;
    }

    public static Set<String> presetNames() {
        return PRESETS.keySet();
    }

    private static Map<String, ClipConfig> presets() {
        Map<String, ClipConfig> presets = new LinkedHashMap<>();
        for (String name : PRESET_NAMES) {
            String resource = "presets/" + name + ".json";
            try (InputStream in = ClipConfig.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("The CLIP preset " + resource + " is missing beside ClipConfig");
                }
                presets.put(name, JSON.readValue(in, ClipConfig.class));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the CLIP preset " + resource, e);
            }
        }
        return Collections.unmodifiableMap(presets);
    }

    /** The same model for a tokenizer with its own vocabulary. */
    public ClipConfig withVocabSize(int newVocabSize) {
        return new ClipConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads,
                contextLength, newVocabSize, textWidth, textLayers, textHeads, embedDim, activation,
                mlpRatio, layerNormEps);
    }

    public ClipConfig withActivation(Activation newActivation) {
        return new ClipConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads,
                contextLength, vocabSize, textWidth, textLayers, textHeads, embedDim, newActivation,
                mlpRatio, layerNormEps);
    }

    /** Patches per image side. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Vision sequence length: one class token and one token per patch. */
    public int visionTokens() {
        return gridSize() * gridSize() + 1;
    }

    public TransformerSpec visionTower() {
        return new TransformerSpec(visionWidth, visionLayers, visionHeads,
                mlpWidth(visionWidth, mlpRatio), activation, layerNormEps);
    }

    public TransformerSpec textTower() {
        return new TransformerSpec(textWidth, textLayers, textHeads, mlpWidth(textWidth, mlpRatio),
                activation, layerNormEps);
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClipConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ClipConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid CLIP config JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ClipConfig fromJson(JsonNode json) {
        try {
            return JSON.treeToValue(json, ClipConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid CLIP config JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static int mlpWidth(int width, double ratio) {
        // OpenCLIP: int(width * mlp_ratio)
        return (int) (width * ratio);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
