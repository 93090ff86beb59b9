package io.clipstream.trainer.data;

/**
 * How pairs become batches.
 *
 * @param batchSize pairs per step
 * @param replayFraction share of each batch replayed from the reservoir, in [0, 1)
 * @param shuffleBuffer pairs held back to draw batches from at random (at least one batch)
 * @param replayCapacity pairs kept in the replay reservoir
 * @param evaluationPool held-out pairs kept for evaluation
 * @param rehearseWhenIdle while the input is idle and nothing is pending, keep stepping on batches drawn wholly from
 *     the reservoir (passes over past pairs: a small or finished stream is learnt, not seen once), once it holds a
 *     shuffle buffer's worth of pairs (or is full)
 */
public record BatchSettings(int batchSize, double replayFraction, int shuffleBuffer, int replayCapacity,
        int evaluationPool, boolean rehearseWhenIdle) {

    public BatchSettings {
        if (batchSize < BatchAssembler.MIN_BATCH) {
            throw new IllegalArgumentException("A contrastive batch needs at least " + BatchAssembler.MIN_BATCH
                    + " pairs, was " + batchSize);
        }
        if (!(replayFraction >= 0 && replayFraction < 1)) {
            throw new IllegalArgumentException("The replay fraction must lie in [0, 1), was " + replayFraction);
        }
        if (replayCapacity < 0 || evaluationPool < 0) {
            throw new IllegalArgumentException("Replay capacity and evaluation pool must not be negative");
        }
    }
}
