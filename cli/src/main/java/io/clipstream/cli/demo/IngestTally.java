package io.clipstream.cli.demo;

import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the demo's pairs went after ingest: on {@value Topics#PAIRS_NORMALIZED} or, with a reason, on
 * {@value Topics#PAIRS_REJECTED} (exact duplicates too, as {@code DUPLICATE}). Counts distinct pair ids, so a
 * redelivered record counts once.
 */
final class IngestTally {

    private static final AvroSerde<Rejected> REJECTED = AvroSerde.of(Rejected.class);

    private final Set<String> published;
    private final Set<String> ingested = new HashSet<>();
    private final Map<String, String> rejected = new TreeMap<>();

    IngestTally(Set<String> published) {
        this.published = Set.copyOf(published);
    }

    /** Takes one record of either topic; records of other pairs (not the demo's) are ignored. */
    void accept(String topic, String key, byte[] value) {
        if (Topics.PAIRS_NORMALIZED.equals(topic) && published.contains(key)) {
            ingested.add(key);
        } else if (Topics.PAIRS_REJECTED.equals(topic)) {
            Rejected rejection = REJECTED.decode(value);
            String id = key != null ? key : rejection.getId();
            if (id != null && published.contains(id)) {
                rejected.put(id, rejection.getReason().name());
            }
        }
    }

    long ingested() {
        return ingested.size();
    }

    long rejected() {
        return rejected.size();
    }

    /** Rejection reasons with their counts, for the display. */
    Map<String, Integer> reasons() {
        Map<String, Integer> reasons = new TreeMap<>();
        rejected.values().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
        return reasons;
    }
}
