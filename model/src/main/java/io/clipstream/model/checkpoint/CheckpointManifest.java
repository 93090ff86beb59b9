package io.clipstream.model.checkpoint;

import io.clipstream.model.ClipConfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint directory holds, written as {@code manifest.json} beside the weights: the
 * model version and its parent (the version it was trained from), when it was made, the config,
 * evaluation metrics, and the weights file (and optionally the tokenizer file) with their SHA-256,
 * which {@link Checkpoints#load} verifies.
 *
 * @param version this checkpoint's model version
 * @param parent the model version it continued from, or null
 * @param created when it was written
 * @param config the model's sizes
 * @param metrics named evaluation results (e.g. {@code zero_shot_top1}); never null
 * @param weightsFile file name of the safetensors weights inside the directory
 * @param weightsSha256 lower-case hex SHA-256 of the weights file
 * @param tokenizerFile file name of the tokenizer inside the directory, or null
 * @param tokenizerSha256 lower-case hex SHA-256 of the tokenizer file, or null
 * @param training where training stood (step, pairs seen, optimiser state file), or null for
 *     weights that are not meant to be trained further (and for manifests written before it existed)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "parent", "created", "config", "metrics", "weights_file", "weights_sha256",
    "tokenizer_file", "tokenizer_sha256", "training"})
public record CheckpointManifest(
        String version,
        String parent,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = InstantText.class)
        Instant created,
        ClipConfig config,
        Map<String, Double> metrics,
        String weightsFile,
        String weightsSha256,
        String tokenizerFile,
        String tokenizerSha256,
        TrainingState training) {

    public CheckpointManifest {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("A checkpoint needs a model version");
        }
        if (config == null) {
            throw new IllegalArgumentException("A checkpoint needs its model config");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(new TreeMap<>(metrics));
    }

    /** The manifest without training state, as it was before training state existed. */
    public CheckpointManifest(String version, String parent, Instant created, ClipConfig config,
            Map<String, Double> metrics, String weightsFile, String weightsSha256, String tokenizerFile,
            String tokenizerSha256) {
        this(version, parent, created, config, metrics, weightsFile, weightsSha256, tokenizerFile, tokenizerSha256,
                null);
    }

    /** A manifest to save: files and hashes are filled in by {@link Checkpoints#save}. */
    public static CheckpointManifest of(String version, String parent, ClipConfig config, Map<String, Double> metrics) {
        return new CheckpointManifest(version, parent, null, config, metrics, null, null, null, null, null);
    }

    /** The same manifest naming a tokenizer file (placed in the checkpoint directory). */
    public CheckpointManifest withTokenizer(String fileName) {
        return new CheckpointManifest(version, parent, created, config, metrics, weightsFile, weightsSha256,
                fileName, null, training);
    }

    /**
     * The same manifest with training state; its optimiser file (if named) must be in the
     * checkpoint directory when {@link Checkpoints#save} runs, which hashes it.
     */
    public CheckpointManifest withTraining(TrainingState state) {
        return new CheckpointManifest(version, parent, created, config, metrics, weightsFile, weightsSha256,
                tokenizerFile, tokenizerSha256, state);
    }

    CheckpointManifest completed(Instant createdAt, String weights, String weightsHash, String tokenizerHash,
            String optimizerHash) {
        return new CheckpointManifest(version, parent, createdAt, config, metrics, weights, weightsHash,
                tokenizerFile, tokenizerHash, training == null ? null : training.withOptimizerSha256(optimizerHash));
    }

    /** Reads the ISO-8601 text that ToStringSerializer writes (no JSR-310 module needed). */
    static final class InstantText extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            try {
                return Instant.parse(parser.getValueAsString());
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, parser.getValueAsString(),
                        "not an ISO-8601 instant");
            }
        }
    }
}
