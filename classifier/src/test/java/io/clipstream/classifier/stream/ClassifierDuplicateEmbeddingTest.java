package io.clipstream.classifier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.classifier.TinyCheckpoints;
import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end exactly-once per image, on the real broker: the embedder is at-least-once, so after a crash the same
 * embedding (image id, model version) can come twice. The classifier must classify it once per label set: a copy that
 * comes after the first was classified, and one that shares the first one's batch, give no second classification.
 */
class ClassifierDuplicateEmbeddingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path storeDir;
    @TempDir
    Path stateDir;

    private final String run = "dedupe-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> labelSets = List.of(run + "-animals", run + "-vehicles");

    @Test
    void aDuplicateEmbeddingGivesNoSecondClassificationForALabelSet() throws Exception {
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 1);
        String later = run + "-later";
        String together = inThePartitionOf(later, "together");
        String marker = inThePartitionOf(later, "marker");
        try (ModelVersions versions = new ModelVersions(TinyCheckpoints.resolver(store)::loadVersion, 2,
                Duration.ofMinutes(1), Clock.systemUTC()); KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.LABEL_SETS, labelSets.get(0), AvroSerde.of(LabelSet.class).encode(
                    ClassifierTopologyTest.set(labelSets.get(0), 1, List.of("cat", "dog"), 2, null)));
            kafka.send(Topics.LABEL_SETS, labelSets.get(1), AvroSerde.of(LabelSet.class).encode(
                    ClassifierTopologyTest.set(labelSets.get(1), 1, List.of("car", "bike"), 2, null)));
            LabelEmbeddingCache cache = new LabelEmbeddingCache(4);
            ClassifierMetrics metrics = new ClassifierMetrics(new SimpleMeterRegistry(), cache, versions);
            try (KafkaStreams streams = start(versions, cache, metrics)) {
                awaitLabelSets(streams);
                kafka.send(Topics.EMBEDDINGS, later, embedding(later));
                readClassifications(kafka, read -> count(read, later) >= labelSets.size());
                // The embedder's replay after a crash: the same bytes again, later, and two copies back to back.
                kafka.send(Topics.EMBEDDINGS, later, embedding(later));
                kafka.send(Topics.EMBEDDINGS, together, embedding(together));
                kafka.send(Topics.EMBEDDINGS, together, embedding(together));
                // Same partition, sent last: once its classifications are committed, the copies' would be too.
                kafka.send(Topics.EMBEDDINGS, marker, embedding(marker));
                List<ConsumerRecord<String, Classification>> read = readClassifications(kafka,
                        r -> count(r, marker) >= labelSets.size());

                assertEquals(Map.of(labelSets.get(0), 1, labelSets.get(1), 1), perLabelSet(read, later),
                        "the copy after the first classification");
                assertEquals(Map.of(labelSets.get(0), 1, labelSets.get(1), 1), perLabelSet(read, together),
                        "two copies in one batch");
                assertEquals(2.0, metrics.duplicateCount(), "the duplicates are counted");
            }
        }
    }

    private KafkaStreams start(ModelVersions versions, LabelEmbeddingCache cache, ClassifierMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "clipstream-classifier-" + run);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableRecords.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, FailOnProductionError.class);
        KafkaStreams streams = new KafkaStreams(ClassifierTopology.build(new BatchClassifier(versions, cache,
                Clock.systemUTC()), metrics, 1000, Duration.ofMillis(100),
                LabelSetLimits.withMaxLabels(LabelSetLimits.DEFAULT_MAX_LABELS), Duration.ofHours(1)), props);
        streams.start();
        return streams;
    }

    private void awaitLabelSets(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                ReadOnlyKeyValueStore<String, LabelSet> store = streams.store(StoreQueryParameters.fromNameAndType(
                        ClassifierTopology.LABEL_SETS_STORE, QueryableStoreTypes.<String, LabelSet>keyValueStore()));
                if (labelSets.stream().allMatch(id -> store.get(id) != null)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the classifier did not start or did not read the label sets");
    }

    private List<ConsumerRecord<String, Classification>> readClassifications(KafkaTestClient kafka,
            Predicate<List<ConsumerRecord<String, Classification>>> done) {
        List<ConsumerRecord<String, Classification>> read = kafka.readUntil(Topics.CLASSIFICATIONS,
                AvroSerde.of(Classification.class), done, WAIT);
        if (!done.test(read)) {
            throw new AssertionError("no classifications within " + WAIT);
        }
        return read;
    }

    private long count(List<ConsumerRecord<String, Classification>> read, String image) {
        return read.stream().filter(r -> r.key().equals(image) && labelSets.contains(r.value().getLabelSetId())).count();
    }

    private Map<String, Integer> perLabelSet(List<ConsumerRecord<String, Classification>> read, String image) {
        Map<String, Integer> counts = new TreeMap<>();
        read.stream().filter(r -> r.key().equals(image) && labelSets.contains(r.value().getLabelSetId()))
                .forEach(r -> counts.merge(r.value().getLabelSetId(), 1, Integer::sum));
        return counts;
    }

    /** An image id of this run whose records go to the same partition as {@code key}'s. */
    private String inThePartitionOf(String key, String name) {
        for (int i = 0; ; i++) {
            String candidate = run + "-" + name + "-" + i;
            if (partition(candidate) == partition(key)) {
                return candidate;
            }
        }
    }

    /** Where the producer's default partitioner puts a key. */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                % Topics.get(Topics.EMBEDDINGS).partitions();
    }

    private static byte[] embedding(String id) {
        List<Float> vector = new ArrayList<>();
        for (float v : ClassifierTopologyTest.randomUnitVector(64, id.hashCode())) {
            vector.add(v);
        }
        Instant time = Instant.parse("2026-03-01T10:00:00Z");
        return AvroSerde.of(ImageEmbedding.class).encode(ImageEmbedding.newBuilder().setImageId(id).setModelVersion("1")
                .setVector(vector).setEventTime(time).setEmbeddedTime(time).build());
    }
}
