package io.clipstream.model.serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded least-recently-used cache of values that hold native memory (loaded models, label embeddings). Values
 * are handed out as {@link Lease}s: one evicted while a stream thread still scores with it is closed when that
 * lease is closed, never under the thread's feet.
 *
 * <p>A value loads outside the cache's lock, so that a load of seconds (a new model version, preloaded at a
 * rollout) does not stall the threads scoring with the values already held; a second thread asking for the same key
 * waits for the first load instead of loading it twice (a model version is hundreds of megabytes).
 */
public final class LeasedLru<K, V extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedLru.class);

    private final String name;
    private final int capacity;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Loads in progress, by key: what a second asker of the same key waits for. */
    private final Map<K, CompletableFuture<Void>> loading = new HashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public LeasedLru(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + ": capacity must be at least 1, was " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
    }

    /**
     * The value for {@code key}: the cached one when {@code fresh} accepts it, else a newly loaded one (a stale
     * value is dropped). A failed load caches nothing and propagates its exception.
     */
    public Lease<V> acquire(K key, Predicate<? super V> fresh, Function<? super K, ? extends V> load) {
        while (true) {
            CompletableFuture<Void> theirs;
            CompletableFuture<Void> mine = null;
            synchronized (this) {
                Entry<V> entry = entries.get(key);
                if (entry != null && fresh.test(entry.value)) {
                    hits.incrementAndGet();
                    return lease(entry);
                }
                theirs = loading.get(key);
                if (theirs == null) {
                    if (entry != null) {
                        entries.remove(key);
                        retire(entry);
                    }
                    misses.incrementAndGet();
                    mine = new CompletableFuture<>();
                    loading.put(key, mine);
                }
            }
            if (mine != null) {
                return loadAndLease(key, load, mine);
            }
            awaitOtherLoad(theirs); // then look again: loaded, or failed and ours to try
        }
    }

    /**
     * The cached value for {@code key} when there is a fresh one, else nothing; never loads.
     *
     * @param countHit whether a value found counts as a hit (not when the caller just had it loaded)
     */
    public synchronized Optional<Lease<V>> acquireIfPresent(K key, Predicate<? super V> fresh, boolean countHit) {
        Entry<V> entry = entries.get(key);
        if (entry == null || !fresh.test(entry.value)) {
            return Optional.empty();
        }
        if (countHit) {
            hits.incrementAndGet();
        }
        return Optional.of(lease(entry));
    }

    private Lease<V> loadAndLease(K key, Function<? super K, ? extends V> load, CompletableFuture<Void> mine) {
        V value;
        try {
            value = load.apply(key);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                loading.remove(key);
            }
            mine.completeExceptionally(e);
            throw e;
        }
        synchronized (this) {
            loading.remove(key);
            Entry<V> entry = new Entry<>(key, value);
            entries.put(key, entry);
            Lease<V> lease = lease(entry);
            Iterator<Entry<V>> eldestFirst = entries.values().iterator();
            while (entries.size() > capacity) {
                Entry<V> eldest = eldestFirst.next();
                eldestFirst.remove();
                LOG.debug("{}: evicting {}", name, eldest.key);
                retire(eldest);
            }
            mine.complete(null);
            return lease;
        }
    }

    /** Waits for another thread's load of the same key; its failure is that thread's to report. */
    private static void awaitOtherLoad(CompletableFuture<Void> theirs) {
        try {
            theirs.join();
        } catch (CompletionException | CancellationException e) {
            // Looked at again by the caller: a failed load left nothing cached, so the caller loads (and fails) itself.
        }
    }

    /** The keys held, least recently used first. */
    public synchronized List<K> keys() {
        return new ArrayList<>(entries.keySet());
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** Drops every value; values still leased close with their last lease. */
    @Override
    public synchronized void close() {
        List<Entry<V>> all = new ArrayList<>(entries.values());
        entries.clear();
        all.forEach(this::retire);
    }

    private Lease<V> lease(Entry<V> entry) {
        entry.users++;
        return new Lease<>(this, entry);
    }

    private synchronized void release(Entry<V> entry) {
        entry.users--;
        if (entry.retired && entry.users == 0) {
            closeQuietly(entry);
        }
    }

    private void retire(Entry<V> entry) {
        entry.retired = true;
        if (entry.users == 0) {
            closeQuietly(entry);
        }
    }

    private void closeQuietly(Entry<V> entry) {
        try {
            entry.value.close();
        } catch (Exception e) {
            LOG.warn("{}: cannot close {}", name, entry.key, e);
        }
    }

    private static final class Entry<V> {
        final Object key;
        final V value;
        int users;
        boolean retired;

        Entry(Object key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /** The use of a cached value; close it when done (try-with-resources). */
    public static final class Lease<V extends AutoCloseable> implements AutoCloseable {

        private final LeasedLru<?, V> cache;
        private final Entry<V> entry;
        private boolean closed;

        private Lease(LeasedLru<?, V> cache, Entry<V> entry) {
            this.cache = cache;
            this.entry = entry;
        }

        public V value() {
            if (closed) {
                throw new IllegalStateException("lease already closed");
            }
            return entry.value;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cache.release(entry);
            }
        }
    }
}
