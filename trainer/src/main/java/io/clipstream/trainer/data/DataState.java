package io.clipstream.trainer.data;

import java.util.List;

/**
 * Everything the data side of training has to remember at one moment, saved with a checkpoint so that a restart
 * continues exactly there: where to read on, the pairs read but not yet trained on, the replay reservoir and the
 * evaluation pool (neither of which the stream would deliver again after the positions). Immutable.
 *
 * @param positions the next offset of every partition read so far
 * @param pending pairs read before the positions but not yet in any batch (the shuffle buffer)
 * @param replay the replay reservoir
 * @param replayOffered how many trained pairs the reservoir was sampled from
 * @param evaluationPool the held-out pairs evaluation uses
 */
public record DataState(SourcePositions positions, List<StreamPair> pending, List<StreamPair> replay,
        long replayOffered, List<StreamPair> evaluationPool) {

    public DataState {
        pending = List.copyOf(pending);
        replay = List.copyOf(replay);
        evaluationPool = List.copyOf(evaluationPool);
    }

    /** Nothing read yet. */
    public static DataState empty(String topic) {
        return new DataState(SourcePositions.none(topic), List.of(), List.of(), 0, List.of());
    }
}
