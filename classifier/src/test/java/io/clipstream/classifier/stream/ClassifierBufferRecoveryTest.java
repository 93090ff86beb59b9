package io.clipstream.classifier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.classifier.TinyCheckpoints;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once with batching, on the real broker: embeddings read and committed while they wait in the buffer are
 * not lost when the instance goes away before scoring them. A second instance with EMPTY local state (another
 * machine) must restore them from the buffer's changelog and classify each exactly once, although the consumer
 * group's committed offsets are already past them, so nobody reads them from the embeddings topic again. Were the
 * buffer a plain list in memory, this test would find no classifications. An unreadable record on the label-set topic,
 * restored raw into the GlobalKTable's store, must not stop either instance.
 */
class ClassifierBufferRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int IMAGES = 5;

    @TempDir
    Path storeDir;
    @TempDir
    Path firstState;
    @TempDir
    Path secondState;

    private final String run = "recovery-" + UUID.randomUUID().toString().substring(0, 8);
    private final String applicationId = "clipstream-classifier-" + run;

    @Test
    void bufferedEmbeddingsSurviveTheInstanceAndAreClassifiedExactlyOnceByTheNext() throws Exception {
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 1);
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        List<String> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(run + "-img-" + i);
        }

        try (ModelVersions versions = new ModelVersions(TinyCheckpoints.resolver(store)::loadVersion, 2,
                Duration.ofMinutes(1), Clock.systemUTC()); KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.LABEL_SETS, run, AvroSerde.of(LabelSet.class).encode(ClassifierTopologyTest.set(run, 1,
                    List.of("cat", "dog"), 2, null)));
            // Junk on the label-set topic: restored into the GlobalKTable's store as raw bytes (Kafka Streams does
            // not deserialise a global table's restore), so reading it must not break the classify step.
            kafka.send(Topics.LABEL_SETS, run + "-junk", "not a label set".getBytes(java.nio.charset.StandardCharsets.UTF_8));

            // Instance 1: batches never fill and never time out, so everything it reads stays buffered.
            try (KafkaStreams first = start(versions, firstState, Duration.ofHours(1), bootstrap)) {
                assertNull(awaitLabelSet(first).get(run + "-junk"), "the unreadable record reads as no label set");
                for (String image : images) {
                    kafka.send(Topics.EMBEDDINGS, image, embedding(image));
                }
                // Committed under exactly-once: the buffer's changelog and the consumed offsets in one transaction.
                List<ConsumerRecord<String, byte[]>> changelog = kafka.readBytesUntil(
                        applicationId + "-" + ClassifierTopology.BUFFER_STORE + "-changelog",
                        read -> read.size() >= IMAGES, WAIT);
                assertEquals(IMAGES, changelog.stream().filter(r -> r.value() != null).count(),
                        "every embedding read is buffered durably");
            }
            assertTrue(committedClassifications(bootstrap, images).isEmpty(), "nothing was scored by instance 1");
            assertCommittedPast(images, kafka, bootstrap);

            // Instance 2, another machine: no local state, flushes every 100 ms.
            try (KafkaStreams second = start(versions, secondState, Duration.ofMillis(100), bootstrap)) {
                kafka.readUntil(Topics.CLASSIFICATIONS, AvroSerde.of(Classification.class), read -> read.stream()
                        .filter(r -> images.contains(r.key())).count() >= images.size(), WAIT);
                Map<String, Integer> counts = new HashMap<>();
                committedClassifications(bootstrap, images).forEach(c -> counts.merge(c.getImageId(), 1, Integer::sum));
                Map<String, Integer> once = new HashMap<>();
                images.forEach(image -> once.put(image, 1));
                assertEquals(once, counts, "each buffered embedding classified exactly once");
            }
        }
    }

    private KafkaStreams start(ModelVersions versions, Path stateDir, Duration flushInterval, String bootstrap) {
        LabelEmbeddingCache cache = new LabelEmbeddingCache(4);
        ClassifierMetrics metrics = new ClassifierMetrics(new SimpleMeterRegistry(), cache, versions);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Kafka Streams members do not leave the group on close: the next instance gets the task once the first one's
        // session has timed out, as after a crash. The broker's minimum keeps that wait short.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableRecords.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, FailOnProductionError.class);
        KafkaStreams streams = new KafkaStreams(ClassifierTopology.build(new BatchClassifier(versions, cache,
                Clock.systemUTC()), metrics, 1000, flushInterval), props);
        streams.start();
        return streams;
    }

    private ReadOnlyKeyValueStore<String, LabelSet> awaitLabelSet(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                ReadOnlyKeyValueStore<String, LabelSet> store = streams.store(StoreQueryParameters.fromNameAndType(
                        ClassifierTopology.LABEL_SETS_STORE, QueryableStoreTypes.<String, LabelSet>keyValueStore()));
                if (store.get(run) != null) {
                    return store;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("instance 1 did not start or did not read the label set");
    }

    /** The consumer group's committed offsets are past every test embedding: none will be read again. */
    private void assertCommittedPast(List<String> images, KafkaTestClient kafka, String bootstrap) throws Exception {
        List<ConsumerRecord<String, byte[]>> sent = kafka.readBytesUntil(Topics.EMBEDDINGS,
                read -> read.stream().filter(r -> images.contains(r.key())).count() >= images.size(), WAIT);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            for (ConsumerRecord<String, byte[]> record : sent) {
                if (images.contains(record.key())) {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(record.topic(), record.partition()));
                    assertTrue(offset != null && offset.offset() > record.offset(), record.key() + " committed: " + offset);
                }
            }
        }
    }

    /** Every committed classification of these images under this test's label set, to the end of the topic now. */
    private List<Classification> committedClassifications(String bootstrap, List<String> images) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AvroSerde<Classification> serde = AvroSerde.of(Classification.class);
        List<Classification> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CLASSIFICATIONS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Classification c = serde.decode(record.value());
                    if (images.contains(record.key()) && c.getLabelSetId().equals(run)) {
                        found.add(c);
                    }
                }
            }
        }
        return found;
    }

    private static byte[] embedding(String id) {
        List<Float> vector = new ArrayList<>();
        float[] unit = ClassifierTopologyTest.randomUnitVector(64, id.hashCode());
        for (float v : unit) {
            vector.add(v);
        }
        return AvroSerde.of(ImageEmbedding.class).encode(ImageEmbedding.newBuilder().setImageId(id).setModelVersion("1")
                .setVector(vector).setEventTime(Instant.now()).setEmbeddedTime(Instant.now()).build());
    }
}
