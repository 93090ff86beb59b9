package io.clipstream.model.serve;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A check repeated on a daemon thread of its own until closed: the rollout watchers of the embedder and the
 * classifier. A scheduled executor cancels a task that throws without a word; this one logs the failure and keeps
 * the schedule, since a watcher that stops watching is worse than one tick that failed.
 */
public final class PeriodicTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final ScheduledExecutorService executor;

    private PeriodicTask(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code check} now, then {@code interval} after each run ends. */
    public static PeriodicTask start(String threadName, Duration interval, Runnable check) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException | Error e) {
                LOG.error("{} failed; trying again in {}", threadName, interval, e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new PeriodicTask(executor);
    }

    /** Stops the schedule and waits for a run in progress (which is interrupted) to end. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }
}
