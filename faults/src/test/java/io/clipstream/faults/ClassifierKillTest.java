package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: two classifier replicas (one Kafka Streams application, exactly-once), one SIGKILLed mid-stream and
 * restarted: every embedding is classified exactly once per label set, none missing, none twice.
 */
@Tag("faults")
class ClassifierKillTest {

    static final List<String> LABEL_SETS = List.of("shapes", "moods");
    /** The tiny preset's embedding width. */
    private static final int EMBED_DIM = 64;

    @Test
    void everyEmbeddingIsClassifiedExactlyOncePerLabelSetThroughAKill() throws Exception {
        try (FaultStack stack = new FaultStack("classifier-kill")) {
            stack.startBroker();
            StoredCheckpoints.publishRandom(ArtifactStore.open(stack.checkpointStore().toUri().toString()), "1", "tiny");
            publishLabelSets(stack.bootstrap);
            Map<String, String> serve = Map.of("clipstream.model.checkpoint", "1");
            FaultStack.Instance first = stack.add("classifier", 0, serve);
            FaultStack.Instance second = stack.add("classifier", 1, serve);
            first.start();
            second.start();
            first.awaitReady();
            second.awaitReady();

            List<String> expected = new ArrayList<>();
            for (String id : Scenario.ids("image", Scenario.IMAGES)) {
                LABEL_SETS.forEach(set -> expected.add(id + "|" + set));
            }
            try (OutputLog log = new OutputLog(stack.bootstrap, List.of(Topics.CLASSIFICATIONS, Topics.EMBEDDINGS_REJECTED),
                    record -> record.topic().equals(Topics.CLASSIFICATIONS) ? classificationKey(record.value())
                            : record.key() + "|rejected").start();
                    SteadyPublisher embeddings = new SteadyPublisher(stack.bootstrap, Topics.EMBEDDINGS, "image",
                            Scenario.IMAGES, Scenario.RATE, ClassifierKillTest::embedding).start()) {
                embeddings.awaitPublishedAtLeast(Scenario.IMAGES / 3);
                java.util.Set<String> members = stack.memberIds("clipstream-classifier", second);
                second.kill();
                Thread.sleep(Scenario.DEAD_MILLIS);
                long restarted = System.nanoTime();
                second.start();
                FaultStack.Recovery recovery = stack.recovery("clipstream-classifier", second, members, restarted);
                embeddings.awaitDone();
                log.awaitKeys(expected.size(), Duration.ofSeconds(60));

                Accounting result = Accounting.of("classifier-kill", expected, Scenario.IMAGES, log, embeddings);
                System.out.println(result.line());
                System.out.println(recovery.line("classifier-kill"));
                assertTrue(result.missing().isEmpty(), result.line() + " missing: " + result.missingSample());
                assertEquals(0, result.duplicates(), result.line() + ": exactly-once allows no second classification");
            }
        }
    }

    static String classificationKey(byte[] value) {
        Classification classification = ClipSerdes.classification().decode(value);
        return classification.getImageId() + "|" + classification.getLabelSetId();
    }

    static byte[] embedding(int index) {
        SplittableRandom random = new SplittableRandom(index);
        List<Float> vector = new ArrayList<>(EMBED_DIM);
        double norm = 0;
        double[] values = new double[EMBED_DIM];
        for (int i = 0; i < EMBED_DIM; i++) {
            values[i] = random.nextGaussian();
            norm += values[i] * values[i];
        }
        for (double v : values) {
            vector.add((float) (v / Math.sqrt(norm)));
        }
        Instant now = Instant.now();
        return ClipSerdes.imageEmbedding().encode(ImageEmbedding.newBuilder().setImageId("image-" + index)
                .setVector(vector).setModelVersion("1").setEventTime(now).setEmbeddedTime(now)
                .setAttributes(Map.of()).build());
    }

    static void publishLabelSets(String bootstrap) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (String id : LABEL_SETS) {
                LabelSet set = LabelSet.newBuilder().setId(id).setRevision(1)
                        .setLabels(List.of(new Label(id + "-a", List.of()), new Label(id + "-b", List.of())))
                        .setTopK(1).setUpdatedTime(Instant.now()).build();
                producer.send(new ProducerRecord<>(Topics.LABEL_SETS, id, ClipSerdes.labelSet().encode(set)));
            }
            producer.flush();
        }
    }
}
