package io.clipstream.ingest.stream;

import io.clipstream.ingest.PairNormalizer;
import io.clipstream.ingest.runtime.IngestMetrics;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.stream.Outcome;
import io.clipstream.schemas.stream.Outcomes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingest stream: pairs.raw → normalise → (rejected → pairs.rejected) → repartition by content → dedup →
 * pairs.normalized (duplicates → pairs.rejected).
 */
public final class IngestTopology {

    public static final String DEDUP_STORE = "seen-pairs";

    private IngestTopology() {
    }

    public static Topology build(PairNormalizer normalizer, IngestMetrics metrics, Duration dedupWindow) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, dedupWindow.plus(Duration.ofHours(1)), dedupWindow, false),
                Serdes.String(), DedupProcessor.firstPairIdSerde()));

        // Values stay bytes at the source so that non-Avro records are rejected with their bytes, not lost.
        AvroSerde<NormalizedPair> normalizedSerde = AvroSerde.of(NormalizedPair.class);
        KStream<String, Outcome<NormalizedPair>> outcomes = builder
                .stream(Topics.PAIRS_RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new NormalizeProcessor(normalizer, metrics), Named.as("normalize"));

        Outcomes.route(outcomes, "outcome-", "normalized", normalized -> Outcomes.route(normalized
                        // Copies of a pair can arrive under any id: meet them in one place by content.
                        .selectKey((id, pair) -> contentKey(pair), Named.as("key-by-content"))
                        .repartition(Repartitioned.with(Serdes.String(), normalizedSerde).withName("by-content"))
                        .process(() -> new DedupProcessor(metrics, dedupWindow), Named.as("dedup"), DEDUP_STORE),
                        "dedup-", "first", first -> first.to(Topics.PAIRS_NORMALIZED,
                                Produced.with(Serdes.String(), normalizedSerde)),
                        "duplicate", Topics.PAIRS_REJECTED),
                "rejected", Topics.PAIRS_REJECTED);
        return builder.build();
    }

    /** Exact-duplicate identity: the hash of the normalised pixels and of the clean caption. */
    static String contentKey(NormalizedPair pair) {
        return pair.getContentHash() + ':'
                + PairNormalizer.sha256(pair.getCaption().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
