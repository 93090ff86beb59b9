package io.clipstream.model.image;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bulkhead for decoding: a byte budget of declared decode cost ({@link ClipImageTransform#decodeCost}, known from
 * the header before any pixel is decoded), taken before decoding and given back after. A few KB of PNG may declare
 * 40 Mpx and cost hundreds of MB of heap; with the budget sized to the heap, a flood of such images waits its turn
 * instead of exhausting the heap.
 *
 * <p>Permits are handed out first come, first served: a large image waiting for budget is not overtaken by a stream
 * of small ones. More than the whole budget can never be granted, so it is refused at once (an image that needs it
 * is rejected: see {@link ClipImageTransform#preprocess(byte[], DecodeBudget)}). Thread-safe.
 */
public final class DecodeBudget {

    /** The semaphore counts KiB, so that budgets beyond 2 GiB fit its int permits. */
    private static final int UNIT = 1024;

    private final long capacity;
    private final int capacityUnits;
    private final Semaphore units;
    private final AtomicLong inUse = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    /** @param capacityBytes the most declared decode cost in use at once */
    public DecodeBudget(long capacityBytes) {
        if (capacityBytes < UNIT) {
            throw new IllegalArgumentException("a decode budget needs at least " + UNIT + " bytes, was " + capacityBytes);
        }
        long units = (capacityBytes + UNIT - 1) / UNIT; // whole KiB, rounded up: a budget of N bytes fits N
        if (units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("decode budget too large: " + capacityBytes + " bytes");
        }
        this.capacityUnits = (int) units;
        this.capacity = units * UNIT;
        this.units = new Semaphore(capacityUnits, true);
    }

    /** A budget of {@code fraction} of this JVM's maximum heap. */
    public static DecodeBudget ofHeap(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("heap fraction must be in (0, 1], was " + fraction);
        }
        return new DecodeBudget((long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** A budget no image reaches (2 TiB): decodes bounded by the image limits alone. */
    public static DecodeBudget unlimited() {
        return new DecodeBudget((long) Integer.MAX_VALUE * UNIT);
    }

    /** Takes {@code bytes} of budget, waiting as long as it takes (the stream: back-pressure, nothing dropped). */
    public Permit acquire(long bytes) throws InterruptedException {
        int wanted = unitsFor(bytes);
        units.acquire(wanted);
        return granted(wanted);
    }

    /** Takes {@code bytes} of budget if it can be had within {@code wait}; empty when not (HTTP: answer 503). */
    public Optional<Permit> tryAcquire(long bytes, Duration wait) throws InterruptedException {
        int wanted = unitsFor(bytes);
        if (!units.tryAcquire(wanted, wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        return Optional.of(granted(wanted));
    }

    /** The budget, in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Declared decode cost held now, in bytes. */
    public long inUse() {
        return inUse.get();
    }

    /** The most declared decode cost held at once since start, in bytes; never above {@link #capacity()}. */
    public long peak() {
        return peak.get();
    }

    /** Whether {@code bytes} can ever be granted. */
    public boolean fits(long bytes) {
        return bytes <= capacity;
    }

    private int unitsFor(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative decode cost: " + bytes);
        }
        if (!fits(bytes)) {
            throw new IllegalArgumentException(bytes + " bytes can never be granted from a budget of " + capacity);
        }
        return (int) Math.max(1, (bytes + UNIT - 1) / UNIT);
    }

    private Permit granted(int granted) {
        long bytes = (long) granted * UNIT;
        peak.accumulateAndGet(inUse.addAndGet(bytes), Math::max);
        return new Permit(granted);
    }

    /** Budget held; {@link #close()} gives it back (once, however often it is called). */
    public final class Permit implements AutoCloseable {

        private final int granted;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(int granted) {
            this.granted = granted;
        }

        /** The bytes this permit holds. */
        public long bytes() {
            return (long) granted * UNIT;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                inUse.addAndGet(-bytes());
                units.release(granted);
            }
        }
    }
}
