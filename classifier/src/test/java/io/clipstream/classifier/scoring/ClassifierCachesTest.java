package io.clipstream.classifier.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.classifier.TinyCheckpoints;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded caches: leases, eviction, staleness, and which model versions count as unavailable. */
class ClassifierCachesTest {

    @TempDir
    static Path storeDir;
    static ArtifactStore store;

    @BeforeAll
    static void checkpoints() throws Exception {
        store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 1);
        TinyCheckpoints.publishRandom(store, "2", 2);
        // A checkpoint without a tokenizer: it can embed images, not label prompts.
        Path staged = store.newStagingDirectory();
        try (NDManager manager = Engines.newManager()) {
            ClipConfig config = ClipConfig.preset("tiny");
            Checkpoints.save(staged, new ClipModel(config).initialize(manager),
                    CheckpointManifest.of("no-tokenizer", null, config, Map.of()));
        }
        store.publish("no-tokenizer", staged);
        // Version 7 in the store holds a checkpoint that says it is version 1.
        Path copy = store.newStagingDirectory();
        try (var files = Files.list(store.locate("1").orElseThrow())) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        store.publish("7", copy);
    }

    static final class Closeable implements AutoCloseable {
        final String name;
        boolean closed;

        Closeable(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void evictsTheLeastRecentlyUsedAndClosesAValueOnlyWhenItsLastLeaseEnds() {
        LeasedLru<String, Closeable> lru = new LeasedLru<>("test", 2);
        List<Closeable> made = new ArrayList<>();
        java.util.function.Function<String, Closeable> load = key -> {
            Closeable c = new Closeable(key);
            made.add(c);
            return c;
        };
        LeasedLru.Lease<Closeable> a = lru.acquire("a", v -> true, load);
        lru.acquire("b", v -> true, load).close();
        lru.acquire("a", v -> true, load).close(); // a is now the most recently used
        lru.acquire("c", v -> true, load).close(); // evicts b
        assertEquals(List.of("a", "c"), lru.keys());
        assertTrue(made.get(1).closed, "b was evicted and unused: closed");
        lru.acquire("d", v -> true, load).close(); // evicts a, still leased
        assertTrue(!made.get(0).closed, "a is still in use");
        assertSame(made.get(0), a.value());
        a.close();
        assertTrue(made.get(0).closed, "closed with its last lease");
        a.close(); // twice is harmless
        assertEquals(1L, lru.hits());
        assertEquals(4L, lru.misses());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a cache that loads under its lock would hang here
    void aSlowLoadStallsNeitherTheValuesHeldNorLoadsTwice() throws Exception {
        LeasedLru<String, Closeable> lru = new LeasedLru<>("test", 4);
        lru.acquire("held", v -> true, Closeable::new).close();
        java.util.concurrent.CountDownLatch loadStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finishLoad = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<String, Closeable> slow = key -> {
            loads.incrementAndGet();
            loadStarted.countDown();
            try {
                finishLoad.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Closeable(key);
        };
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var first = executor.submit(() -> lru.acquire("new", v -> true, slow));
            loadStarted.await();
            var second = executor.submit(() -> lru.acquire("new", v -> true, slow));
            try (LeasedLru.Lease<Closeable> held = lru.acquire("held", v -> true, Closeable::new)) {
                assertEquals("held", held.value().name, "served while another key loads");
            }
            assertTrue(!second.isDone(), "the second asker of the loading key waits");
            finishLoad.countDown();
            try (LeasedLru.Lease<Closeable> a = first.get(); LeasedLru.Lease<Closeable> b = second.get()) {
                assertSame(a.value(), b.value());
            }
        }
        assertEquals(1, loads.get(), "loaded once");
        lru.close();
    }

    @Test
    void aStaleValueIsReplacedAndAFailedLoadCachesNothing() {
        LeasedLru<String, Closeable> lru = new LeasedLru<>("test", 4);
        Closeable first;
        try (LeasedLru.Lease<Closeable> lease = lru.acquire("k", v -> true, Closeable::new)) {
            first = lease.value();
        }
        try (LeasedLru.Lease<Closeable> lease = lru.acquire("k", v -> false, key -> new Closeable("k2"))) {
            assertEquals("k2", lease.value().name);
        }
        assertTrue(first.closed);
        assertThrows(IllegalStateException.class, () -> lru.acquire("x", v -> true, key -> {
            throw new IllegalStateException("cannot");
        }));
        assertEquals(List.of("k"), lru.keys());
        lru.close();
    }

    @Test
    void loadsEachVersionOnceKeepsTheMostRecentAndRemembersFailuresUntilTheRetryTime() {
        AtomicInteger loads = new AtomicInteger();
        MutableClock clock = new MutableClock();
        try (ModelVersions versions = new ModelVersions(version -> {
            loads.incrementAndGet();
            return TinyCheckpoints.resolver(store).loadVersion(version);
        }, 1, Duration.ofSeconds(30), clock)) {
            try (LeasedLru.Lease<ServedModel> one = versions.acquire("1")) {
                assertEquals("1", one.value().version());
            }
            versions.acquire("1").close();
            assertEquals(1, loads.get());
            versions.acquire("2").close();
            assertEquals(List.of("2"), versions.loadedVersions(), "capacity 1: version 1 went");

            String missing = assertThrows(ModelVersionUnavailableException.class, () -> versions.acquire("3")).getMessage();
            assertTrue(missing.contains("not in the artifact store"), missing);
            assertThrows(ModelVersionUnavailableException.class, () -> versions.acquire("3"));
            assertEquals(3, loads.get(), "the failure is remembered: no second look");
            clock.advance(Duration.ofSeconds(31));
            assertThrows(ModelVersionUnavailableException.class, () -> versions.acquire("3"));
            assertEquals(4, loads.get(), "tried again after the retry time");

            String noTokenizer = assertThrows(ModelVersionUnavailableException.class,
                    () -> versions.acquire("no-tokenizer")).getMessage();
            assertTrue(noTokenizer.contains("has no tokenizer"), noTokenizer);
            String mismatch = assertThrows(ModelVersionUnavailableException.class, () -> versions.acquire("7")).getMessage();
            assertTrue(mismatch.contains("says it is version 1"), mismatch);
            assertEquals(List.of("2"), versions.loadedVersions());
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
