package io.clipstream.classifier.stream;

import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The classifier stream: label-sets → GlobalKTable (every instance holds every set); embeddings → buffer → classify
 * under each applicable set → classifications | embeddings.rejected.
 */
public final class ClassifierTopology {

    /** The GlobalKTable's store, read by the classify step and by the HTTP API (interactive queries). */
    public static final String LABEL_SETS_STORE = "label-sets";
    /** Embeddings waiting for their batch; changelogged, see {@link ClassifyProcessor} for why. */
    public static final String BUFFER_STORE = "embedding-buffer";

    private ClassifierTopology() {
    }

    public static Topology build(BatchClassifier classifier, ClassifierMetrics metrics, int maxBatch,
            Duration flushInterval) {
        StreamsBuilder builder = new StreamsBuilder();
        UnreadableLabelSetsAsAbsent labelSetSerde = new UnreadableLabelSetsAsAbsent();
        builder.globalTable(Topics.LABEL_SETS, Consumed.with(Serdes.String(), labelSetSerde),
                Materialized.<String, LabelSet, KeyValueStore<Bytes, byte[]>>as(LABEL_SETS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(labelSetSerde));
        // In memory for speed, changelogged for exactly-once: the changelog is what makes a buffered record durable.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BUFFER_STORE),
                Serdes.Long(), new BufferedEmbeddingSerde()).withLoggingEnabled(Map.of()));

        // Values stay bytes at the source so that undecodable records are rejected with their bytes, not lost.
        builder.stream(Topics.EMBEDDINGS, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new ClassifyProcessor(classifier, metrics, maxBatch, flushInterval), Named.as("classify"),
                        BUFFER_STORE)
                .split(Named.as("outcome-"))
                .branch((id, outcome) -> outcome instanceof ClassifierOutcome.ToClassification,
                        Branched.withConsumer(classified -> classified
                                .mapValues(outcome -> ((ClassifierOutcome.ToClassification) outcome).classification())
                                .to(Topics.CLASSIFICATIONS, Produced.with(Serdes.String(),
                                        AvroSerde.of(Classification.class))), "classified"))
                .defaultBranch(Branched.withConsumer(rejected -> rejected
                        .mapValues(outcome -> ((ClassifierOutcome.ToRejected) outcome).rejected())
                        .to(Topics.EMBEDDINGS_REJECTED, Produced.with(Serdes.String(), AvroSerde.of(Rejected.class))),
                        "rejected"));
        return builder.build();
    }
}
