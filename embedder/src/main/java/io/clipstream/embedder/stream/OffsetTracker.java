package io.clipstream.embedder.stream;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which input offsets may be committed: a record is done once its output (an embedding or a rejection) is
 * acknowledged by the broker, and a partition's commit position is its lowest offset not yet done. Outputs of one
 * input partition go to many output partitions, so acknowledgements arrive out of order; committing only up to the
 * lowest pending offset is what makes delivery at-least-once. A failed output stays pending for good: nothing after
 * it is committed, and the consumer starts over from the last commit.
 *
 * <p>The consumer thread submits and commits; producer callbacks complete. Thread-safe.
 */
final class OffsetTracker {

    private static final class PartitionState {
        final TreeSet<Long> pending = new TreeSet<>();
        long highestSubmitted = -1;
        long lastCommittable = -1;

        long position() {
            return pending.isEmpty() ? highestSubmitted + 1 : pending.first();
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private int inFlight;
    private Exception failure;

    /** A record was read and handed to the pipeline; offsets of one partition come in increasing order. */
    public synchronized void submitted(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        if (offset <= state.highestSubmitted) {
            throw new IllegalArgumentException(partition + " offset " + offset + " submitted after "
                    + state.highestSubmitted);
        }
        state.pending.add(offset);
        state.highestSubmitted = offset;
        inFlight++;
    }

    /** The record's output was acknowledged. */
    public synchronized void completed(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.pending.remove(offset);
        }
        finished();
    }

    /** The record's output could not be written: the offset stays pending and the failure is reported. */
    public synchronized void failed(TopicPartition partition, long offset, Exception cause) {
        if (failure == null) {
            failure = new IllegalStateException("output of " + partition + " offset " + offset + " failed: " + cause,
                    cause);
        }
        finished();
    }

    private void finished() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** The first output failure since the last {@link #reset()}. */
    public synchronized Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** Commit positions that moved since the last call, for every partition. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    /** Commit positions that moved since the last call, for these partitions. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        for (TopicPartition partition : which) {
            PartitionState state = partitions.get(partition);
            if (state == null) {
                continue;
            }
            long position = state.position();
            if (position > state.lastCommittable) {
                state.lastCommittable = position;
                out.put(partition, new OffsetAndMetadata(position));
            }
        }
        return out;
    }

    /** Records handed to the pipeline whose output is neither acknowledged nor failed. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Waits until every submitted record is done (or failed); false when the timeout passed first. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The partitions left this consumer (revoked or lost): their offsets are no longer ours to commit. */
    public synchronized void forget(Collection<TopicPartition> which) {
        which.forEach(partitions::remove);
    }

    /** Starts over (a new consumer after a failure); call only when idle. */
    public synchronized void reset() {
        partitions.clear();
        failure = null;
    }
}
