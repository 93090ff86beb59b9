package io.clipstream.trainer.checkpoint;

import io.clipstream.model.train.ClipTrainer;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.eval.Guardrail;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a checkpoint is made of, gathered on the training thread between two steps.
 *
 * @param version the new model version
 * @param parent the version training continued from, or null
 * @param trainer the model and its optimiser state (step and pairs trained on, replays included, go into the
 *     manifest)
 * @param tokenizerMerges the tokenizer's merges file, copied into the checkpoint
 * @param data pending pairs, replay reservoir, evaluation pool and read positions after the last step
 * @param samplesSeen fresh pairs trained on
 * @param replayedSamples replayed pairs trained on
 * @param freshness newest event time trained on (epoch ms), or null
 * @param metrics evaluation results
 * @param verdict the guardrail's decision
 * @param baseline the version the guardrail compared with, or null
 */
public record CheckpointDraft(String version, String parent, ClipTrainer trainer, Path tokenizerMerges,
        DataState data, long samplesSeen, long replayedSamples, Long freshness, Map<String, Double> metrics,
        Guardrail.Verdict verdict, String baseline) {
}
