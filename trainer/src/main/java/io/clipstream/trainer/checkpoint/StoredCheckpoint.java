package io.clipstream.trainer.checkpoint;

import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.SourceOffset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A checkpoint in the artifact store, as the trainer wrote it.
 *
 * @param uri where the store serves it
 * @param directory the local directory
 * @param manifest the model manifest (config, metrics, weights and tokenizer hashes)
 * @param state the trainer's part
 */
public record StoredCheckpoint(URI uri, Path directory, CheckpointManifest manifest, TrainerState state) {

    public String version() {
        return manifest.version();
    }

    /** The announcement of this checkpoint on the checkpoints topic. */
    public Checkpoint toRecord() {
        return Checkpoint.newBuilder()
                .setVersion(manifest.version())
                .setParent(manifest.parent())
                .setStep(state.step())
                .setSamplesSeen(state.samplesSeen())
                .setSourceOffsets(state.sourceOffsets().entrySet().stream()
                        .map(e -> new SourceOffset(state.sourceTopic(), e.getKey(), e.getValue())).toList())
                .setArtifactUri(uri.toString())
                .setSha256(manifest.weightsSha256())
                .setConfig(manifest.config().toJson())
                .setMetrics(Map.copyOf(manifest.metrics()))
                .setStatus(state.status())
                .setStatusReason(state.statusReason())
                .setCreatedTime(manifest.created())
                .setFreshness(state.freshness() == null ? null : Instant.ofEpochMilli(state.freshness()))
                .build();
    }
}
