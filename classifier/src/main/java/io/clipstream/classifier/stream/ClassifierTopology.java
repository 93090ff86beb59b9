package io.clipstream.classifier.stream;

import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.stream.Outcomes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The classifier stream: label-sets → global store (every instance holds every set; the first write of a revision
 * wins); embeddings → buffer → classify under each applicable set → classifications | embeddings.rejected. A second
 * embedding of an (image id, model version) within the dedupe window classifies only under sets the first did not.
 */
public final class ClassifierTopology {

    /** The global label-set store, read by the classify step and by the HTTP API (interactive queries). */
    public static final String LABEL_SETS_STORE = "label-sets";
    /** Embeddings waiting for their batch; changelogged, see {@link ClassifyProcessor} for why. */
    public static final String BUFFER_STORE = "embedding-buffer";
    /** Which label sets each (image id, model version) was classified under lately; see {@link ClassifiedImages}. */
    public static final String CLASSIFIED_STORE = "classified-images";
    /** {@code clipstream.classifier.dedupe-window}'s default. */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(1);

    private ClassifierTopology() {
    }

    /** With the default label-set caps. */
    public static Topology build(BatchClassifier classifier, ClassifierMetrics metrics, int maxBatch,
            Duration flushInterval) {
        return build(classifier, metrics, maxBatch, flushInterval,
                LabelSetLimits.withMaxLabels(LabelSetLimits.DEFAULT_MAX_LABELS));
    }

    /** With the default dedupe window. */
    public static Topology build(BatchClassifier classifier, ClassifierMetrics metrics, int maxBatch,
            Duration flushInterval, LabelSetLimits limits) {
        return build(classifier, metrics, maxBatch, flushInterval, limits, DEFAULT_DEDUPE_WINDOW);
    }

    public static Topology build(BatchClassifier classifier, ClassifierMetrics metrics, int maxBatch,
            Duration flushInterval, LabelSetLimits limits, Duration dedupeWindow) {
        StreamsBuilder builder = new StreamsBuilder();
        UnreadableLabelSetsAsAbsent labelSetSerde = new UnreadableLabelSetsAsAbsent();
        // A global store rather than globalTable(): its processor decides which write of a revision counts.
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(
                        Stores.persistentTimestampedKeyValueStore(LABEL_SETS_STORE), Serdes.String(), labelSetSerde)
                        .withLoggingDisabled(),
                Topics.LABEL_SETS, Consumed.with(Serdes.String(), labelSetSerde), FirstWriteOfARevisionWins::new);
        // In memory for speed, changelogged for exactly-once: the changelog is what makes a buffered record durable.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BUFFER_STORE),
                Serdes.Long(), new BufferedEmbeddingSerde()).withLoggingEnabled(Map.of()));
        builder.addStateStore(ClassifiedImages.storeBuilder(CLASSIFIED_STORE, dedupeWindow));

        // Values stay bytes at the source so that undecodable records are rejected with their bytes, not lost.
        Outcomes.route(builder.stream(Topics.EMBEDDINGS, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new ClassifyProcessor(classifier, metrics, maxBatch, flushInterval, limits,
                        classifier::finishedLabelEmbeddingBuilds, dedupeWindow), Named.as("classify"),
                        BUFFER_STORE, CLASSIFIED_STORE),
                "outcome-", "classified", classified -> classified.to(Topics.CLASSIFICATIONS,
                        Produced.with(Serdes.String(), AvroSerde.of(Classification.class))),
                "rejected", Topics.EMBEDDINGS_REJECTED);
        return builder.build();
    }
}
