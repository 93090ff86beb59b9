package io.clipstream.faults;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a trainer's log while the scenario runs and reads its step lines (the category io.clipstream.trainer.steps
 * at DEBUG: {@code step=<n> fresh=<id>,<id>,... replayed=<k>}), noting for each step which run of the process wrote
 * it and when it appeared: the accounting of which pair was trained in which step.
 */
final class StepLog implements AutoCloseable {

    private static final Pattern STEP = Pattern.compile("step=(\\d+) fresh=(\\S*) replayed=(\\d+)");

    /** One step applied: by run {@code run} (1 for the first process, 2 after its restart, ...). */
    record Step(int run, long step, List<String> fresh, long arrivedNanos) {
    }

    private final Path file;
    private final List<Step> steps = new ArrayList<>();
    private final Thread thread;
    private final StringBuilder partial = new StringBuilder();
    private long position;
    private int run = 1;
    private volatile boolean running = true;

    StepLog(Path file) {
        this.file = file;
        this.thread = new Thread(() -> {
            while (running) {
                read();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "step-log");
        thread.setDaemon(true);
    }

    StepLog start() {
        thread.start();
        return this;
    }

    /** After the process died: reads what it wrote to the end, then counts what follows as the next run's. */
    synchronized void nextRun() {
        read();
        run++;
    }

    synchronized List<Step> steps() {
        read();
        return List.copyOf(steps);
    }

    /** The ids of fresh pairs trained in the steps that pass {@code which}, with repeats. */
    List<String> trained(Predicate<Step> which) {
        return steps().stream().filter(which).flatMap(s -> s.fresh().stream()).toList();
    }

    /** The steps that pass {@code which} as outputs: one per fresh pair, arriving when its step's line appeared. */
    Arrivals arrivals(Predicate<Step> which) {
        List<Step> chosen = steps().stream().filter(which).toList();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Long> first = new HashMap<>();
        long maxGap = 0;
        for (int i = 0; i < chosen.size(); i++) {
            Step step = chosen.get(i);
            for (String id : step.fresh()) {
                counts.merge(id, 1, Integer::sum);
                first.putIfAbsent(id, step.arrivedNanos());
            }
            if (i > 0) {
                maxGap = Math.max(maxGap, step.arrivedNanos() - chosen.get(i - 1).arrivedNanos());
            }
        }
        double gap = maxGap / 1e9;
        return new Arrivals() {
            @Override
            public Map<String, Integer> counts() {
                return Map.copyOf(counts);
            }

            @Override
            public Map<String, Long> firstArrivals() {
                return Map.copyOf(first);
            }

            @Override
            public double maxGapSeconds() {
                return gap;
            }
        };
    }

    private synchronized void read() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= position) {
                return;
            }
            byte[] bytes = new byte[(int) (length - position)];
            in.seek(position);
            in.readFully(bytes);
            position = length;
            long now = System.nanoTime();
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, end);
                partial.delete(0, end + 1);
                Matcher m = STEP.matcher(line);
                if (m.find()) {
                    List<String> fresh = m.group(2).isEmpty() ? List.of() : Arrays.asList(m.group(2).split(","));
                    steps.add(new Step(run, Long.parseLong(m.group(1)), List.copyOf(fresh), now));
                }
            }
        } catch (IOException e) {
            // read again on the next turn
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }
}
