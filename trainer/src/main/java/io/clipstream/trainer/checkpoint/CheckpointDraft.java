package io.clipstream.trainer.checkpoint;

import io.clipstream.model.ClipModel;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.eval.Guardrail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a checkpoint is made of, gathered on the training thread between two steps.
 *
 * @param version the new model version
 * @param parent the version training continued from, or null
 * @param model the weights
 * @param tokenizerMerges the tokenizer's merges file, copied into the checkpoint
 * @param optimizerState writes the optimiser's state to a file
 * @param data pending pairs, replay reservoir, evaluation pool and read positions after the last step
 * @param step optimiser steps taken
 * @param samplesSeen fresh pairs trained on
 * @param replayedSamples replayed pairs trained on
 * @param freshness newest event time trained on (epoch ms), or null
 * @param metrics evaluation results
 * @param verdict the guardrail's decision
 * @param baseline the version the guardrail compared with, or null
 */
public record CheckpointDraft(String version, String parent, ClipModel model, Path tokenizerMerges,
        OptimizerStateWriter optimizerState, DataState data, long step, long samplesSeen, long replayedSamples,
        Long freshness, Map<String, Double> metrics, Guardrail.Verdict verdict, String baseline) {

    /** Writes the optimiser's state (moments and step count) for an exact resume. */
    @FunctionalInterface
    public interface OptimizerStateWriter {
        void write(Path file) throws IOException;
    }
}
