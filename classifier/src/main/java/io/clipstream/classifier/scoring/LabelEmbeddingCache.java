package io.clipstream.classifier.scoring;

import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.schemas.LabelSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Label embeddings per (label set id, revision, model version): built once with that version's text encoder, reused
 * for every embedding of that version until the set changes or the entry ages out.
 */
public final class LabelEmbeddingCache implements AutoCloseable {

    public record Key(String labelSetId, long revision, String modelVersion) {
    }

    private final LeasedLru<Key, LabelEmbeddings> cache;
    private final Executor builder;
    /** Builds handed to {@link #builder} and not finished yet: a second asker waits for the same one. */
    private final Map<Key, Build> building = new ConcurrentHashMap<>();
    private final AtomicLong finished = new AtomicLong();

    /** A build in progress; only its first asker waits for it, later ones look and go (it may take minutes). */
    private record Build(CompletableFuture<Void> done, AtomicBoolean waitedFor) {
    }

    /** A cache that builds on the caller's thread (as {@link #acquireWithin} does too). */
    public LabelEmbeddingCache(int capacity) {
        this(capacity, Runnable::run);
    }

    /** @param builder where {@link #acquireWithin} builds missing label embeddings (not the stream thread) */
    public LabelEmbeddingCache(int capacity, Executor builder) {
        this.cache = new LeasedLru<>("label embeddings", capacity);
        this.builder = builder;
    }

    /** The embeddings of {@code set} under {@code model}; built on a miss, on this thread. */
    public LeasedLru.Lease<LabelEmbeddings> acquire(LabelSet set, ServedModel model) {
        Key key = new Key(set.getId(), set.getRevision(), model.version());
        return cache.acquire(key, cached -> cached.builtFrom(set), k -> LabelEmbeddings.build(set, model));
    }

    /**
     * The embeddings of {@code set} under model version {@code version} if they are built, or get built within
     * {@code wait}; else nothing, while the build goes on on the builder (a later call finds it done). The build takes
     * its own lease of the model from {@code model}, so an eviction of the version cannot close it mid-build.
     *
     * @throws RuntimeException what the build threw (nothing is cached; the next call builds again)
     */
    public Optional<LeasedLru.Lease<LabelEmbeddings>> acquireWithin(LabelSet set, String version,
            Supplier<LeasedLru.Lease<ServedModel>> model, Duration wait) {
        Key key = new Key(set.getId(), set.getRevision(), version);
        Optional<LeasedLru.Lease<LabelEmbeddings>> ready = cache.acquireIfPresent(key, cached -> cached.builtFrom(set),
                true);
        if (ready.isPresent()) {
            return ready;
        }
        Build mine = new Build(new CompletableFuture<>(), new AtomicBoolean());
        Build build = building.putIfAbsent(key, mine);
        if (build == null) {
            build = mine;
            builder.execute(() -> {
                try (LeasedLru.Lease<ServedModel> served = model.get();
                        LeasedLru.Lease<LabelEmbeddings> built = acquire(set, served.value())) {
                    mine.done().complete(null);
                } catch (RuntimeException | Error e) {
                    mine.done().completeExceptionally(e);
                } finally {
                    building.remove(key, mine);
                    finished.incrementAndGet();
                }
            });
        }
        long nanos = build.waitedFor().getAndSet(true) ? 0 : Math.max(0, wait.toNanos());
        try {
            build.done().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("building the label embeddings of " + set.getId() + " failed", e.getCause());
        }
        // Just built (not a hit); evicted again in between only if the cache is far too small: then not ready yet.
        return cache.acquireIfPresent(key, cached -> cached.builtFrom(set), false);
    }

    /** Builds handed to the builder and not finished. */
    public int building() {
        return building.size();
    }

    /** Builds handed to the builder that have finished (built or failed), for callers that retry after one. */
    public long finishedBuilds() {
        return finished.get();
    }

    public long hits() {
        return cache.hits();
    }

    public long misses() {
        return cache.misses();
    }

    public List<Key> keys() {
        return cache.keys();
    }

    @Override
    public void close() {
        cache.close();
    }
}
