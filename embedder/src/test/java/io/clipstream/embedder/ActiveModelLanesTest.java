package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP calls and the stream's batches take turns on the one inference thread. The timeout only stops a hang. */
@Timeout(60)
class ActiveModelLanesTest {

    @TempDir
    static Path store;
    private static ActiveModel model;

    @BeforeAll
    static void model() throws Exception {
        ArtifactStore artifacts = ArtifactStore.open(store.toString());
        TestCheckpoints.publish(artifacts, "5", "tiny");
        model = new ActiveModel();
        model.activate(new CheckpointResolver(artifacts, Optional.empty(), ImageLimits.DEFAULT).load("5"));
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    @Test
    void aStreamBatchWaitsForAtMostOneHttpCallHoweverManyAreQueued() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newCachedThreadPool();
        try {
            // The inference thread is busy until released; meanwhile five HTTP calls queue up, then one batch.
            List<Future<?>> calls = new ArrayList<>();
            calls.add(callers.submit(() -> model.call(ActiveModel.Lane.STREAM, served -> {
                awaitQuietly(release);
                return ran.add("stream busy");
            })));
            for (int i = 1; i <= 5; i++) {
                String name = "http " + i;
                awaitWaiting(ActiveModel.Lane.HTTP, i - 1);
                calls.add(callers.submit(() -> model.call(ActiveModel.Lane.HTTP, served -> ran.add(name))));
            }
            awaitWaiting(ActiveModel.Lane.HTTP, 5);
            calls.add(callers.submit(() -> model.call(ActiveModel.Lane.STREAM, served -> ran.add("stream batch"))));
            awaitWaiting(ActiveModel.Lane.STREAM, 1);
            release.countDown();
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(List.of("stream busy", "http 1", "stream batch", "http 2", "http 3", "http 4", "http 5"), ran);
        assertTrue(model.waiting(ActiveModel.Lane.HTTP) == 0 && model.waiting(ActiveModel.Lane.STREAM) == 0);
    }

    /** Until {@code count} calls wait in {@code lane} (the first call holds the thread, so the others queue). */
    private static void awaitWaiting(ActiveModel.Lane lane, int count) {
        while (model.waiting(lane) < count) {
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
