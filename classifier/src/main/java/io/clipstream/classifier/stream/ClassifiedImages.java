package io.clipstream.classifier.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * End-to-end exactly-once per image: which label sets each (image id, model version) was classified under within the
 * dedupe window. The embedder is at-least-once (after a crash it embeds again what it had not committed), so the
 * same embedding may arrive twice; it must not give a label set a second classification.
 *
 * <p>A window store rather than a key-value store with a purging punctuator: its segments older than the retention
 * are dropped whole, so no scan of every entry is needed to forget. Entries are stamped with the wall-clock time they
 * were classified at; a lookup only sees those within the window, so the window is exact although segments linger a
 * little longer. The store is changelogged: under exactly-once its writes commit with the classifications they record,
 * and a replica taking the task over restores them. Embeddings are keyed by image id, so both copies of an image reach
 * the same task.
 */
final class ClassifiedImages {

    private final WindowStore<List<String>, List<String>> store;
    private final long windowMs;

    ClassifiedImages(WindowStore<List<String>, List<String>> store, Duration window) {
        this.store = store;
        this.windowMs = window.toMillis();
    }

    static StoreBuilder<WindowStore<List<String>, List<String>>> storeBuilder(String name, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("clipstream.classifier.dedupe-window must be positive, not " + window);
        }
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, window, Duration.ofMillis(1), false),
                strings(), strings()).withLoggingEnabled(Map.of());
    }

    /** The label-set ids the image was classified under (with this model version) in the window up to now, if at all. */
    Optional<Set<String>> classifiedUnder(String imageId, String modelVersion, long now) {
        Set<String> sets = null;
        try (WindowStoreIterator<List<String>> seen = store.fetch(key(imageId, modelVersion), now - windowMs + 1, now)) {
            while (seen.hasNext()) {
                if (sets == null) {
                    sets = new TreeSet<>();
                }
                sets.addAll(seen.next().value);
            }
        }
        return Optional.ofNullable(sets);
    }

    /** Records that the image was classified under {@code labelSetIds} (none: no set applied) at {@code now}. */
    void record(String imageId, String modelVersion, Collection<String> labelSetIds, long now) {
        store.put(key(imageId, modelVersion), new ArrayList<>(labelSetIds), now);
    }

    /** A list, so that no separator can make two different pairs one key. */
    private static List<String> key(String imageId, String modelVersion) {
        return List.of(imageId, modelVersion);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<List<String>> strings() {
        return (Serde) Serdes.ListSerde(ArrayList.class, Serdes.String());
    }
}
