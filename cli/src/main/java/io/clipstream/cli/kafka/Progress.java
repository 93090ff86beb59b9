package io.clipstream.cli.kafka;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line on stderr (redrawn in place on a terminal) and the closing summary: failures by reason, every file
 * skipped with why, and notes.
 */
public final class Progress {

    private final String what;
    private final long total;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<String> skipped = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile long lastDrawNanos;

    public Progress(String what, long total, PrintStream out) {
        this.what = what;
        this.total = total;
        this.out = out;
    }

    public void sent() {
        sent.incrementAndGet();
        draw(false);
    }

    public void failed(String reason) {
        failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        draw(false);
    }

    /** Something not sent on purpose, as "what: why"; listed one by one in the summary. */
    public void skipped(String whatAndWhy) {
        skipped.add(whatAndWhy);
    }

    /** A line for the summary, after the counts. */
    public void note(String line) {
        notes.add(line);
    }

    public long skippedCount() {
        return skipped.size();
    }

    public long sentCount() {
        return sent.get();
    }

    public long failedCount() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!terminal || (!force && now - lastDrawNanos < 100_000_000L)) {
            return;
        }
        lastDrawNanos = now;
        long done = sent.get() + failedCount();
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        out.printf("\r%s [%s%s] %d/%d", what, "#".repeat(filled), " ".repeat(Math.max(0, width - filled)), done, total);
        out.flush();
    }

    /** Prints the summary: sent, failed by reason, rate. */
    public void finish() {
        draw(true);
        if (terminal) {
            out.println();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf("%s: sent %d, failed %d%s in %.1f s (%.0f/s)%n", what, sent.get(), failedCount(),
                skipped.isEmpty() ? "" : ", skipped " + skipped.size(), seconds, sent.get() / Math.max(seconds, 1e-9));
        new TreeMap<>(failures).forEach((reason, count) -> out.printf("  failed %d: %s%n", count.get(), reason));
        skipped.forEach(line -> out.printf("  skipped %s%n", line));
        notes.forEach(line -> out.printf("  note: %s%n", line));
    }
}
