package io.clipstream.embedder;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.serve.ServedModel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The model being served and the one thread that runs it. Every model call, from the stream and from HTTP, is a
 * task on that thread: one inference at a time is the fastest on a few cores (libtorch parallelises inside an op),
 * and autograd, which PyTorch tracks per thread, stays off where the model runs. A switch to a new model is a task
 * too, so it falls between two batches, and the model it replaces is closed at once: no task can still hold it.
 *
 * <p>Calls wait in one lane per {@link Lane}, taken in turn: however many HTTP requests are waiting, the stream's
 * next batch runs after at most one of them (and the other way round), so neither starves the other.
 */
public final class ActiveModel implements AutoCloseable {

    /** Who asks for a model call: the stream's batches, or HTTP requests. */
    public enum Lane {
        STREAM, HTTP
    }

    /** A call waiting in its lane. */
    private record Job<T>(Function<ServedModel, T> work, CompletableFuture<T> result) {
        void run(ServedModel model) {
            try {
                if (model == null) {
                    throw new NoModelException("no model is active yet");
                }
                result.complete(work.apply(model));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }
    }

    private final ExecutorService inference = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "embedder-inference");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch firstActivation = new CountDownLatch(1);
    private volatile ServedModel current;
    private final Map<Lane, Queue<Job<?>>> lanes = new EnumMap<>(Map.of(
            Lane.STREAM, new ConcurrentLinkedQueue<>(), Lane.HTTP, new ConcurrentLinkedQueue<>()));
    /** The lane served last; touched on the inference thread only. */
    private Lane lastServed = Lane.HTTP;

    /** The version serving now, if any. */
    public Optional<String> version() {
        ServedModel model = current;
        return model == null ? Optional.empty() : Optional.of(model.version());
    }

    /**
     * The decoder and transform of the model serving now, for preparing images off the inference thread. A model
     * switched in meanwhile may want another size: {@link PreparedImage} then prepares again.
     */
    public Optional<ClipImageTransform> transform() {
        ServedModel model = current;
        return model == null ? Optional.empty() : Optional.of(model.transform());
    }

    /** {@link #call(Lane, Function)} in the stream's lane. */
    public <T> T call(Function<ServedModel, T> work) throws InterruptedException {
        return call(Lane.STREAM, work);
    }

    /**
     * Runs {@code work} on the inference thread with the model active when it starts, and waits for it; calls of
     * the two lanes take turns.
     *
     * @throws NoModelException when no model is active
     */
    public <T> T call(Lane lane, Function<ServedModel, T> work) throws InterruptedException {
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        lanes.get(lane).add(job);
        // One turn per job: each turn runs the next job of the lane whose turn it is (or of the other, when empty).
        try {
            inference.execute(this::takeTurn);
        } catch (RejectedExecutionException e) {
            lanes.get(lane).remove(job);
            throw e;
        }
        return await(job.result());
    }

    private void takeTurn() {
        Lane next = lastServed == Lane.STREAM ? Lane.HTTP : Lane.STREAM;
        Job<?> job = lanes.get(next).poll();
        if (job == null) {
            next = next == Lane.STREAM ? Lane.HTTP : Lane.STREAM;
            job = lanes.get(next).poll();
        }
        if (job != null) {
            lastServed = next;
            job.run(current);
        }
    }

    /** Calls waiting in {@code lane} for the inference thread. */
    public int waiting(Lane lane) {
        return lanes.get(lane).size();
    }

    /** Makes {@code next} the active model between two tasks and closes the one it replaces. */
    public void activate(ServedModel next) throws InterruptedException {
        await(inference.submit(() -> {
            ServedModel previous = current;
            current = next;
            if (previous != null) {
                // Frees what close() can; the native weights go with the object, once nothing refers to it.
                previous.close();
            }
            return null;
        }));
        firstActivation.countDown();
    }

    /** Waits until a first model is active; false when the timeout passed first. */
    public boolean awaitFirst(Duration timeout) throws InterruptedException {
        return firstActivation.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static <T> T await(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Lets queued calls finish, then closes the model. */
    @Override
    public void close() throws InterruptedException {
        inference.shutdown();
        if (!inference.awaitTermination(30, TimeUnit.SECONDS)) {
            inference.shutdownNow();
        }
        for (Queue<Job<?>> lane : lanes.values()) {
            for (Job<?> left = lane.poll(); left != null; left = lane.poll()) {
                left.result().completeExceptionally(new RejectedExecutionException("the model is shutting down"));
            }
        }
        ServedModel model = current;
        current = null;
        if (model != null) {
            model.close();
        }
    }
}
