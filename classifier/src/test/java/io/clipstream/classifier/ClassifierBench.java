package io.clipstream.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.scoring.LabelEmbeddings;
import io.clipstream.classifier.scoring.Scores;
import io.clipstream.classifier.scoring.ZeroShotScorer;
import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.classifier.stream.ClassifierTopology;
import io.clipstream.classifier.stream.FailOnProductionError;
import io.clipstream.classifier.stream.SkipUndecodableRecords;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.nn.Activation;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Classifier throughput for label sets of 10, 100 and 1,000 labels with 512-dimensional embeddings:
 *
 * <ol>
 *   <li>the bare scoring function (one matrix product of a batch of 256 embeddings against the label embeddings,
 *       softmax, both results copied out), its GFLOP/s counting the product's 2·N·L·D, beside the GFLOP/s of a
 *       1024³ fp32 matrix product measured in the same run;
 *   <li>classifications per second through the whole topology on the REAL in-process broker (exactly-once,
 *       Avro in and out, batches of up to 256): the embeddings are produced while the application is paused, then
 *       the clock runs from {@code resume()} until a read-committed consumer has seen every classification.
 * </ol>
 *
 * The model is a small CLIP whose embeddings have 512 dimensions (the text encoder's width only changes how long the
 * label embeddings take to build, which happens once per set and is left out of the measurement). Prints a table;
 * asserts only that every classification arrived.
 *
 * <p>Run: {@code ./mvnw -B -pl classifier -am -Pbench verify -Dtest=ClassifierBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class ClassifierBench {

    private static final int[] LABELS = {10, 100, 1000};
    private static final int DIMENSION = 512;
    private static final int BATCH = 256;
    private static final int EMBEDDINGS = 20_000;
    private static final long MEASURE_NANOS = 3_000_000_000L;
    private static final String VERSION = "bench-512";

    @Test
    void scoringAndTopologyThroughput() throws Exception {
        System.out.println("ClassifierBench: " + Engines.describe());
        List<String> lines = new ArrayList<>();
        double[] ceiling = new double[2];
        ceiling[0] = matmulGflops();
        for (int labels : LABELS) {
            lines.add(bareScoring(labels));
        }
        ceiling[1] = matmulGflops();
        double best = Math.max(ceiling[0], ceiling[1]);
        System.out.println();
        System.out.printf(Locale.ROOT, "bare scoring, batch %d x %d dims (matmul 1024^3 fp32: %.1f / %.1f GFLOP/s before/after)%n",
                BATCH, DIMENSION, ceiling[0], ceiling[1]);
        System.out.printf(Locale.ROOT, "%7s %12s %14s %10s %10s%n", "labels", "us/batch", "embeddings/s", "GFLOP/s", "of matmul");
        for (String line : lines) {
            String[] parts = line.split(" ");
            System.out.printf(Locale.ROOT, "%7s %12s %14s %10s %9.0f%%%n", parts[0], parts[1], parts[2], parts[3],
                    100 * Double.parseDouble(parts[3]) / best);
        }
        System.out.println();
        topologyThroughput();
    }

    /** "labels us/batch embeddings/s GFLOP/s". */
    private static String bareScoring(int labels) {
        LabelSet set = labelSet("bare-" + labels, labels, Map.of());
        float[] rows = unitRows(labels, new Random(labels));
        float[] images = unitRows(BATCH, new Random(7));
        try (LabelEmbeddings embeddings = LabelEmbeddings.of(set, VERSION, 100f, rows, DIMENSION)) {
            Scores warm = ZeroShotScorer.score(images, BATCH, embeddings);
            if (warm.probabilities().length != BATCH * labels) {
                throw new AssertionError("wrong result size");
            }
            int runs = 0;
            long start = System.nanoTime();
            while (runs < 10 || System.nanoTime() - start < MEASURE_NANOS) {
                ZeroShotScorer.score(images, BATCH, embeddings);
                runs++;
            }
            double seconds = (System.nanoTime() - start) / 1e9 / runs;
            double gflops = 2.0 * BATCH * labels * DIMENSION / seconds / 1e9;
            return String.format(Locale.ROOT, "%d %.1f %.0f %.2f", labels, seconds * 1e6, BATCH / seconds, gflops);
        }
    }

    private void topologyThroughput() throws Exception {
        Path storeDir = Files.createTempDirectory("clipstream-bench-store-");
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        // 512-d embeddings from narrow towers: the label embeddings build quickly, the scoring is full size.
        ClipConfig config = ClipConfig.of(32, 16, 64, 1, 1, 77, ClipConfig.CLIP_VOCAB_SIZE, 64, 1, 1, DIMENSION,
                Activation.QUICK_GELU);
        try (NDManager manager = Engines.newManager()) {
            TinyCheckpoints.publish(store, VERSION, new ClipModel(config).initialize(manager));
        }
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        AvroSerde<ImageEmbedding> embeddingSerde = AvroSerde.of(ImageEmbedding.class);
        System.out.printf(Locale.ROOT, "through the topology on the real broker (exactly-once, batches <= %d), %d embeddings per set:%n",
                BATCH, EMBEDDINGS);
        System.out.printf(Locale.ROOT, "%7s %10s %18s%n", "labels", "seconds", "classifications/s");
        try (ModelVersions versions = new ModelVersions(TinyCheckpoints.resolver(store)::loadVersion, 2,
                Duration.ofMinutes(1), Clock.systemUTC());
                LabelEmbeddingCache cache = new LabelEmbeddingCache(8);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(bootstrap),
                        new StringSerializer(), new ByteArraySerializer());
                KafkaStreams streams = new KafkaStreams(ClassifierTopology.build(
                        new BatchClassifier(versions, cache, Clock.systemUTC()),
                        new ClassifierMetrics(new SimpleMeterRegistry(), cache, versions), BATCH, Duration.ofMillis(100)),
                        streamsProps(bootstrap, run, Files.createTempDirectory("clipstream-bench-state-")))) {
            AvroSerde<LabelSet> labelSetSerde = AvroSerde.of(LabelSet.class);
            for (int labels : LABELS) {
                // Each set applies only to its own embeddings (attribute filter).
                producer.send(new ProducerRecord<>(Topics.LABEL_SETS, run + "-" + labels, labelSetSerde.encode(
                        labelSet(run + "-" + labels, labels, Map.of("bench", run + "-" + labels))))).get();
            }
            streams.start();
            awaitLabelSets(streams, run);
            try (KafkaConsumer<String, byte[]> results = resultsConsumer(bootstrap)) {
                for (int labels : LABELS) {
                    // Loads the model version and builds the set's label embeddings, untimed.
                    String tag = run + "-" + labels;
                    send(producer, embeddingSerde, tag, 1, new Random(1));
                    awaitClassifications(results, tag, 1);
                }
                // A full untimed round first: in a fresh JVM the first rounds ran up to 3x slower (JIT, broker).
                for (int labels : LABELS) {
                    String tag = run + "-" + labels;
                    send(producer, embeddingSerde, tag, EMBEDDINGS, new Random(-labels));
                    awaitClassifications(results, tag, EMBEDDINGS);
                }
                // Each size twice, the second round in reverse order: the machine is shared, so order effects show.
                List<Integer> order = new ArrayList<>();
                IntStream.of(LABELS).forEach(order::add);
                IntStream.range(0, LABELS.length).map(i -> LABELS[LABELS.length - 1 - i]).forEach(order::add);
                for (int labels : order) {
                    String tag = run + "-" + labels;
                    streams.pause();
                    send(producer, embeddingSerde, tag, EMBEDDINGS, new Random(labels));
                    long start = System.nanoTime();
                    streams.resume();
                    awaitClassifications(results, tag, EMBEDDINGS);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "%7d %10.2f %18.0f%n", labels, seconds, EMBEDDINGS / seconds);
                }
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, AvroSerde<ImageEmbedding> serde, String tag,
            int count, Random random) throws Exception {
        List<Future<?>> acks = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            List<Float> vector = new ArrayList<>(DIMENSION);
            for (float v : unitRows(1, random)) {
                vector.add(v);
            }
            String id = tag + "-" + UUID.randomUUID();
            acks.add(producer.send(new ProducerRecord<>(Topics.EMBEDDINGS, id, serde.encode(ImageEmbedding.newBuilder()
                    .setImageId(id).setModelVersion(VERSION).setVector(vector).setEventTime(now).setEmbeddedTime(now)
                    .setAttributes(Map.of("bench", tag)).build()))));
        }
        for (Future<?> ack : acks) {
            ack.get();
        }
    }

    /** Reads classifications of {@code tag} until {@code count} more have arrived. */
    private static void awaitClassifications(KafkaConsumer<String, byte[]> consumer, String tag, int count) {
        AvroSerde<Classification> serde = AvroSerde.of(Classification.class);
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (seen < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + seen + " of " + count + " classifications of " + tag + " arrived");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.key().startsWith(tag + "-") && serde.decode(record.value()).getLabelSetId().equals(tag)) {
                    seen++;
                }
            }
        }
    }

    private static void awaitLabelSets(KafkaStreams streams, String run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING && streams.store(StoreQueryParameters.fromNameAndType(
                    ClassifierTopology.LABEL_SETS_STORE, QueryableStoreTypes.<String, LabelSet>keyValueStore()))
                    .get(run + "-" + LABELS[LABELS.length - 1]) != null) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the topology did not start");
    }

    private static KafkaConsumer<String, byte[]> resultsConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CLASSIFICATIONS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return props;
    }

    private static Properties streamsProps(String bootstrap, String run, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "clipstream-classifier-" + run);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableRecords.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, FailOnProductionError.class);
        return props;
    }

    private static LabelSet labelSet(String id, int labels, Map<String, String> filter) {
        return LabelSet.newBuilder().setId(id).setRevision(1)
                .setLabels(IntStream.range(0, labels).mapToObj(i -> new Label("label " + i, List.of())).toList())
                .setTopK(5).setAttributeFilter(filter).setUpdatedTime(Instant.now()).build();
    }

    private static float[] unitRows(int rows, Random random) {
        float[] values = new float[rows * DIMENSION];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int d = 0; d < DIMENSION; d++) {
                float v = (float) random.nextGaussian();
                values[r * DIMENSION + d] = v;
                norm += v * v;
            }
            for (int d = 0; d < DIMENSION; d++) {
                values[r * DIMENSION + d] /= (float) Math.sqrt(norm);
            }
        }
        return values;
    }

    private static double matmulGflops() {
        try (NDManager scope = Engines.newManager()) {
            NDArray a = scope.randomNormal(new Shape(1024, 1024));
            NDArray b = scope.randomNormal(new Shape(1024, 1024));
            a.matMul(b).close();
            int runs = 0;
            long start = System.nanoTime();
            while (runs < 3 || System.nanoTime() - start < MEASURE_NANOS) {
                a.matMul(b).close();
                runs++;
            }
            double seconds = (System.nanoTime() - start) / 1e9 / runs;
            return 2.0 * 1024 * 1024 * 1024 / seconds / 1e9;
        }
    }
}
