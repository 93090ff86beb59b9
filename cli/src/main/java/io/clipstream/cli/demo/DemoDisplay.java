package io.clipstream.cli.demo;

import java.io.PrintStream;
import java.util.List;

/**
 * What the demo shows while it runs: a numbered header per phase, results as lines, and a status line while a
 * phase waits. On a terminal the status line is redrawn in place; in a log it is written at most every
 * {@value #LOG_STATUS_SECONDS} s, so that a captured run stays readable.
 */
final class DemoDisplay {

    static final List<String> PHASES = List.of("corpus", "platform", "label sets", "pairs", "training", "rollout",
            "images", "search");
    private static final int LOG_STATUS_SECONDS = 10;

    private final PrintStream out;
    private final boolean terminal;
    private int phase;
    private boolean statusShown;
    private long lastStatusNanos;

    DemoDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    PrintStream stream() {
        return out;
    }

    /** Starts the next phase; phases come in the order of {@link #PHASES}. */
    void phase(String name, String detail) {
        if (phase >= PHASES.size() || !PHASES.get(phase).equals(name)) {
            throw new IllegalStateException("Phase " + name + " out of order (after " + phase + " phases)");
        }
        phase++;
        line(String.format("[%d/%d] %-10s %s", phase, PHASES.size(), name, detail));
    }

    /** A result or remark within the phase. */
    void line(String text) {
        clearStatus();
        out.println(text);
        out.flush();
    }

    /** Where a waiting phase stands; replaces the previous status. */
    void status(String text) {
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r      " + text + "\u001b[K");
            out.flush();
            statusShown = true;
        } else if (lastStatusNanos == 0 || now - lastStatusNanos >= LOG_STATUS_SECONDS * 1_000_000_000L) {
            out.println("      " + text);
            out.flush();
            lastStatusNanos = now;
        }
    }

    private void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[K");
            statusShown = false;
        }
    }
}
