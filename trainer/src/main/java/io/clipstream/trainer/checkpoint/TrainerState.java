package io.clipstream.trainer.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.clipstream.model.serve.ServableVersions;
import io.clipstream.schemas.CheckpointStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the trainer adds to a checkpoint directory beside weights, optimiser state, tokenizer and manifest (whose
 * training section holds the step, the rows trained on and the optimiser file), as {@code trainer-state.json}: the
 * stream's side of an exact resume — the offsets to read on from, the pairs that a resume needs and the stream will
 * not deliver again (pending pairs, replay reservoir, evaluation pool, each file with its SHA-256) — the newest
 * event time trained on and the guardrail's verdict.
 *
 * @param step optimiser steps taken (as in the manifest)
 * @param samplesSeen fresh pairs trained on: each pair of the stream once, replays not counted (the manifest's
 *     count is of rows, replays included)
 * @param replayedSamples replayed pairs trained on
 * @param freshness newest event time trained on, epoch milliseconds, or null before any step
 * @param sourceTopic the pairs topic
 * @param sourceOffsets next offset to read by partition
 * @param replayOffered how many pairs the replay reservoir was sampled from
 * @param evaluationPool fingerprint of the evaluation pool's pair ids (metrics compare only on equal pools)
 * @param status the guardrail's verdict
 * @param statusReason why it was rejected, or null
 * @param baseline the version the guardrail compared with, or null
 * @param files the resume files by role ({@link #PENDING}, {@link #REPLAY}, {@link #EVALUATION})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerState(long step, long samplesSeen, long replayedSamples, Long freshness, String sourceTopic,
        Map<Integer, Long> sourceOffsets, long replayOffered, String evaluationPool, CheckpointStatus status,
        String statusReason, String baseline, Map<String, FileRef> files) {

    /** Also the verdict the services read before serving a version a record names. */
    public static final String FILE_NAME = ServableVersions.VERDICT_FILE;
    public static final String PENDING = "pending";
    public static final String REPLAY = "replay";
    public static final String EVALUATION = "evaluation";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public TrainerState {
        sourceOffsets = new TreeMap<>(sourceOffsets);
        files = new TreeMap<>(files);
    }

    /** A file in the checkpoint directory and its lower-case hex SHA-256. */
    public record FileRef(String file, String sha256) {
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static TrainerState read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), TrainerState.class);
    }
}
