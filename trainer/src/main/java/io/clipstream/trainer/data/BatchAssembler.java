package io.clipstream.trainer.data;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Turns the stream of read pairs into batches: every pair is either held out (into the evaluation pool, or dropped
 * once the pool is full) or goes through the shuffle buffer into exactly one batch as a fresh pair; each batch
 * mixes in replayed pairs; the read positions advance with every record, usable or not. After each batch, the
 * state a checkpoint needs is captured. Not thread-safe: one feeder thread owns it.
 */
public final class BatchAssembler {

    /** The contrastive loss needs at least one negative per row. */
    public static final int MIN_BATCH = 2;

    private final String topic;
    private final int batchSize;
    private final int replayPerBatch;
    private final boolean rehearseWhenIdle;
    private final int rehearsalMinimum;
    private final HeldOutSplit split;
    private final ShuffleBuffer buffer;
    private final ReplayReservoir replay;
    private final EvaluationPool pool;
    private final Map<Integer, Long> positions;
    private long sequence;

    /**
     * @param settings batch size, replay fraction, buffer and pool sizes
     * @param resumed the data state to continue from
     */
    public BatchAssembler(BatchSettings settings, HeldOutSplit split, DataState resumed, RandomGenerator random) {
        if (settings.shuffleBuffer() < settings.batchSize()) {
            throw new IllegalArgumentException("The shuffle buffer (" + settings.shuffleBuffer()
                    + ") must hold at least one batch (" + settings.batchSize() + ")");
        }
        this.topic = resumed.positions().topic();
        this.batchSize = settings.batchSize();
        this.replayPerBatch = (int) Math.round(settings.batchSize() * settings.replayFraction());
        this.rehearseWhenIdle = settings.rehearseWhenIdle();
        this.rehearsalMinimum = Math.min(settings.shuffleBuffer(), settings.replayCapacity());
        this.split = split;
        this.buffer = new ShuffleBuffer(settings.shuffleBuffer(), random, resumed.pending());
        this.replay = new ReplayReservoir(settings.replayCapacity(), random, resumed.replay(), resumed.replayOffered());
        this.pool = new EvaluationPool(settings.evaluationPool(), resumed.evaluationPool());
        this.positions = new TreeMap<>(resumed.positions().next());
    }

    /** What happened to one record. */
    public enum Outcome {
        /** Into the shuffle buffer, to be trained on. */
        QUEUED,
        /** Held out and kept for evaluation. */
        EVALUATION,
        /** Held out, but the evaluation pool is full or has it already: never trained on, not kept again. */
        HELD_OUT_DROPPED,
        /** Not a usable pair: skipped. */
        SKIPPED
    }

    /** Takes the record at {@code offset} of {@code partition}; {@code pair} is empty when it could not be read. */
    public Outcome accept(int partition, long offset, Optional<StreamPair> pair) {
        positions.merge(partition, offset + 1, Math::max);
        if (pair.isEmpty()) {
            return Outcome.SKIPPED;
        }
        if (split.isHeldOut(pair.get().pairId())) {
            return pool.offer(pair.get()) ? Outcome.EVALUATION : Outcome.HELD_OUT_DROPPED;
        }
        buffer.add(pair.get());
        return Outcome.QUEUED;
    }

    /**
     * The next batch, if one is due: a full batch whenever the shuffle buffer is full; when the input is idle,
     * whatever is pending, topped up with replayed pairs to the batch size as far as the reservoir allows (a trickle
     * of input is still trained on, with enough negatives once the reservoir has filled). When the input is idle,
     * nothing is pending and rehearsal is on, a batch of replayed pairs only: those never run out, so a caller
     * looks for input between two. Rehearsal waits for a reservoir of a shuffle buffer's worth of pairs: a pause of
     * the input early on would otherwise have the model learn its first few batches by heart.
     */
    public Optional<Batch> next(boolean inputIdle) {
        int replayCount = Math.min(replayPerBatch, replay.size());
        int freshCount = batchSize - replayCount;
        if (!buffer.full()) {
            if (inputIdle && buffer.size() == 0 && rehearseWhenIdle && replay.size() >= Math.max(MIN_BATCH,
                    rehearsalMinimum)) {
                return Optional.of(new Batch(sequence++, List.of(), replay.sample(Math.min(batchSize, replay.size())),
                        state()));
            }
            if (!inputIdle || buffer.size() == 0) {
                return Optional.empty();
            }
            freshCount = Math.min(freshCount, buffer.size());
            replayCount = Math.min(batchSize - freshCount, replay.size());
            if (freshCount + replayCount < MIN_BATCH) {
                return Optional.empty();
            }
        }
        // Replay is sampled before the fresh pairs join the reservoir: a batch never holds a pair twice.
        List<StreamPair> replayed = replay.sample(replayCount);
        List<StreamPair> fresh = buffer.draw(freshCount);
        fresh.forEach(replay::offer);
        return Optional.of(new Batch(sequence++, fresh, replayed, state()));
    }

    /** The state now: positions, pending pairs, reservoir and pool. */
    public DataState state() {
        return new DataState(new SourcePositions(topic, positions), buffer.snapshot(), replay.snapshot(),
                replay.offered(), pool.snapshot());
    }

    public int pending() {
        return buffer.size();
    }

    public int replaySize() {
        return replay.size();
    }

    public int evaluationPoolSize() {
        return pool.size();
    }
}
