package io.clipstream.embedder.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A bounded FIFO that hands items out in batches: a batch leaves as soon as it is full, or when its first item has
 * waited {@code maxWait} since it arrived. Under load batches fill up (throughput); when traffic is light an item
 * waits at most {@code maxWait} (latency). {@link #put} blocks while the queue is full, by count or by bytes, which
 * is how the consumer is held back when the model cannot keep up.
 *
 * <p>One thread takes batches; any number may put. Thread-safe.
 */
public final class MicroBatcher<T> implements AutoCloseable {

    private record Arrival<T>(T item, long nanos, long bytes) {
    }

    private final int maxSize;
    private final long maxWaitNanos;
    private final int capacity;
    private final long maxBytes;
    private final ToLongFunction<? super T> weight;
    private final ArrayDeque<Arrival<T>> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition taken = lock.newCondition();
    private boolean closed;
    private long queuedBytes;
    private volatile long peakBytes;

    /**
     * @param maxSize  most items in a batch
     * @param maxWait  longest the first item of a batch waits for more
     * @param capacity most items queued; at least {@code maxSize}, so that a full batch can form
     */
    public MicroBatcher(int maxSize, Duration maxWait, int capacity) {
        this(maxSize, maxWait, capacity, Long.MAX_VALUE, item -> 0);
    }

    /**
     * @param maxBytes most bytes queued (by {@code weight}); an item is always let into an empty queue, so that one
     *                 heavier than the bound still goes through, alone
     * @param weight   the heap an item holds, in bytes
     */
    public MicroBatcher(int maxSize, Duration maxWait, int capacity, long maxBytes, ToLongFunction<? super T> weight) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
        if (capacity < maxSize) {
            throw new IllegalArgumentException("capacity " + capacity + " is below maxSize " + maxSize
                    + ": a full batch could never form");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.weight = weight;
        this.queue = new ArrayDeque<>(capacity);
    }

    /**
     * Queues an item, waiting while the queue is full: {@code capacity} items, or no room for its bytes.
     *
     * @throws IllegalStateException once closed
     */
    public void put(T item) throws InterruptedException {
        long bytes = weight.applyAsLong(item);
        lock.lockInterruptibly();
        try {
            while ((queue.size() >= capacity || !queue.isEmpty() && queuedBytes + bytes > maxBytes) && !closed) {
                taken.await();
            }
            if (closed) {
                throw new IllegalStateException("the batcher is closed");
            }
            queue.addLast(new Arrival<>(item, System.nanoTime(), bytes));
            queuedBytes += bytes;
            peakBytes = Math.max(peakBytes, queuedBytes);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch, oldest items first: waits for a first item, then until {@code maxSize} items are there or the
     * first one has waited {@code maxWait}. After {@link #close()} the remaining items still come out, without
     * waiting; then an empty list says there is nothing more.
     */
    public List<T> nextBatch() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return List.of();
                }
                arrived.await();
            }
            long deadline = queue.peekFirst().nanos() + maxWaitNanos;
            while (queue.size() < maxSize && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                arrived.awaitNanos(left);
            }
            int size = Math.min(maxSize, queue.size());
            List<T> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Arrival<T> arrival = queue.pollFirst();
                queuedBytes -= arrival.bytes();
                batch.add(arrival.item());
            }
            taken.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Items queued now. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued now. */
    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes queued at once so far; at most {@link #maxBytes()} unless a single item weighed more. */
    public long peakBytes() {
        return peakBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int maxSize() {
        return maxSize;
    }

    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** Refuses further items and lets waiting threads go; what is queued can still be taken. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
            taken.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
