package io.clipstream.embedder;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.serve.ServedModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The model being served and the one thread that runs it. Every model call, from the stream and from HTTP, is a
 * task on that thread: one inference at a time is the fastest on a few cores (libtorch parallelises inside an op),
 * and autograd, which PyTorch tracks per thread, stays off where the model runs. A switch to a new model is a task
 * too, so it falls between two batches, and the model it replaces is closed at once: no task can still hold it.
 */
public final class ActiveModel implements AutoCloseable {

    private final ExecutorService inference = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "embedder-inference");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch firstActivation = new CountDownLatch(1);
    private volatile ServedModel current;

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

    /**
     * Runs {@code work} on the inference thread with the model active when it starts, and waits for it.
     *
     * @throws NoModelException when no model is active
     */
    public <T> T call(Function<ServedModel, T> work) throws InterruptedException {
        return await(inference.submit(() -> {
            ServedModel model = current;
            if (model == null) {
                throw new NoModelException("no model is active yet");
            }
            return work.apply(model);
        }));
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
        ServedModel model = current;
        current = null;
        if (model != null) {
            model.close();
        }
    }
}
