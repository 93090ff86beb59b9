package io.clipstream.ingest.stream;

import io.clipstream.ingest.PairNormalizer;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The ingest stream: pairs.raw → normalise, dedup → pairs.normalized | pairs.rejected. */
public final class IngestTopology {

    public static final String DEDUP_STORE = "seen-pairs";

    private IngestTopology() {
    }

    public static Topology build(PairNormalizer normalizer, IngestMetrics metrics, Duration dedupWindow) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, dedupWindow.plus(Duration.ofHours(1)), dedupWindow, false),
                Serdes.String(), Serdes.Long()));

        // Values stay bytes at the source so that non-Avro records are rejected with their bytes, not lost.
        KStream<String, IngestOutcome> outcomes = builder
                .stream(Topics.PAIRS_RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new NormalizeProcessor(normalizer, metrics, dedupWindow), Named.as("normalize"), DEDUP_STORE);

        outcomes.split(Named.as("outcome-"))
                .branch((id, outcome) -> outcome instanceof IngestOutcome.ToNormalized, Branched.withConsumer(normalized ->
                        normalized.mapValues(outcome -> ((IngestOutcome.ToNormalized) outcome).pair())
                                .to(Topics.PAIRS_NORMALIZED, Produced.with(Serdes.String(), AvroSerde.of(NormalizedPair.class))),
                        "normalized"))
                .defaultBranch(Branched.withConsumer(rejected ->
                        rejected.mapValues(outcome -> ((IngestOutcome.ToRejected) outcome).rejected())
                                .to(Topics.PAIRS_REJECTED, Produced.with(Serdes.String(), AvroSerde.of(Rejected.class))),
                        "rejected"));
        return builder.build();
    }
}
