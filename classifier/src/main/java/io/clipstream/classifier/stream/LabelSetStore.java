package io.clipstream.classifier.stream;

import io.clipstream.classifier.api.ApiException;
import io.clipstream.schemas.LabelSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads label sets from the global label-set store (an interactive query: every instance holds all sets), and waits
 * until a write shows there, so that a GET after a PUT sees the PUT.
 */
@ApplicationScoped
public class LabelSetStore {

    private static final long POLL_MILLIS = 20;

    private final KafkaStreams streams;

    public LabelSetStore(KafkaStreams streams) {
        this.streams = streams;
    }

    public Optional<LabelSet> get(String id) {
        return Optional.ofNullable(store().get(id));
    }

    /** Every label set, by id. */
    public List<LabelSet> all() {
        List<LabelSet> sets = new ArrayList<>();
        try (KeyValueIterator<String, LabelSet> all = store().all()) {
            all.forEachRemaining((KeyValue<String, LabelSet> entry) -> {
                if (entry.value != null) { // an unreadable record restored as raw bytes reads as no set
                    sets.add(entry.value);
                }
            });
        }
        return sets;
    }

    /** Waits until the store holds {@code id} at {@code revision} or later; false when {@code timeout} passed first. */
    public boolean awaitRevision(String id, long revision, Duration timeout) {
        return await(id, set -> set != null && set.getRevision() >= revision, timeout);
    }

    /** Waits until {@code id} is gone from the store (or re-created after {@code deletedRevision}). */
    public boolean awaitDeleted(String id, long deletedRevision, Duration timeout) {
        return await(id, set -> set == null || set.getRevision() > deletedRevision, timeout);
    }

    private boolean await(String id, Predicate<LabelSet> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (done.test(store().get(id))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private ReadOnlyKeyValueStore<String, LabelSet> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(ClassifierTopology.LABEL_SETS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "the label-set store is not ready yet (Kafka Streams is "
                    + streams.state() + "); try again shortly", e);
        }
    }
}
