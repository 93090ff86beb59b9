package io.clipstream.embedder;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.stream.EmbeddingPipeline;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.TestImages;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding pipeline through a real broker (in this JVM) against the bare image encoder, for a small preset and
 * vit-b-32 (random weights) at batch limits 1, 8 and 32. Inputs are 320×240 JPEGs published as raw records.
 * <ul>
 * <li>bare: {@code ServedModel.embedImages} on already preprocessed images, on the inference thread;</li>
 * <li>decode: decode + resize + crop of one JPEG (what the consumer thread does per record);</li>
 * <li>burst: a backlog of images published at once; images/s = count / (last output − first input timestamp);</li>
 * <li>paced: images published at half the burst rate; latency = output − input record timestamp, p50/p99.</li>
 * </ul>
 * Prints a table; asserts nothing about time. The broker, the producer of the inputs and the pipeline share the
 * machine's cores.
 *
 * <p>Run: {@code ./mvnw -B -pl embedder -am -Pbench verify -Dtest=EmbedderBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class EmbedderBench {

    private static final int[] BATCH_LIMITS = {1, 8, 32};
    private static final Duration MAX_WAIT = Duration.ofMillis(10);
    /** As many as clipstream.images has. */
    private static final int PARTITIONS = 6;

    /** How many images each measurement uses, per preset: vit-b-32 does ~18 images/s here, so it gets few. */
    private record Plan(String preset, int burst, int paced, int bareRuns) {
    }

    private record Row(String preset, int batch, double bare, double burst, double pacedRate, double p50, double p99,
            double meanBatch) {
    }

    @TempDir
    static Path storeRoot;

    @Test
    void pipelineAgainstTheBareEncoder() throws Exception {
        System.out.printf(Locale.ROOT, "EmbedderBench: %s, %d cores, load average %.1f at start%n", Engines.describe(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        ArtifactStore store = ArtifactStore.open(storeRoot.toString());
        List<byte[]> jpegs = new ArrayList<>();
        for (int seed = 0; seed < 64; seed++) {
            jpegs.add(TestImages.jpeg(320, 240, seed));
        }
        List<Row> rows = new ArrayList<>();
        double decodePerSecond = 0;
        for (Plan plan : List.of(new Plan("small", 600, 300, 20), new Plan("vit-b-32", 64, 32, 2))) {
            TestCheckpoints.publish(store, plan.preset(), plan.preset());
            CheckpointResolver resolver = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);
            try (ActiveModel active = new ActiveModel()) {
                ServedModel served = resolver.load(plan.preset());
                active.activate(served);
                List<PreparedImage> prepared = new ArrayList<>();
                for (byte[] jpeg : jpegs) {
                    prepared.add(PreparedImage.of(jpeg, served.transform()));
                }
                decodePerSecond = decodeRate(served.transform(), jpegs);
                for (int batch : BATCH_LIMITS) {
                    double bare = bareRate(active, prepared, batch, plan.bareRuns());
                    rows.add(throughKafka(plan, batch, bare, active, jpegs));
                }
            }
            System.gc(); // the weights are native memory, freed with their objects
        }

        System.out.printf(Locale.ROOT, "load average %.1f at the end (other processes share the cores)%n",
                loadAverage());
        System.out.printf(Locale.ROOT, "decode + resize + crop of a 320x240 JPEG, one thread: %.0f images/s%n",
                decodePerSecond);
        System.out.printf(Locale.ROOT, "%-9s %5s %11s %11s %8s %11s %9s %9s %10s%n", "preset", "batch", "bare img/s",
                "burst img/s", "of bare", "paced img/s", "p50 ms", "p99 ms", "mean batch");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-9s %5d %11.1f %11.1f %7.0f%% %11.1f %9.1f %9.1f %10.1f%n", r.preset(),
                    r.batch(), r.bare(), r.burst(), 100 * r.burst() / r.bare(), r.pacedRate(), r.p50(), r.p99(),
                    r.meanBatch());
        }
        System.out.println("burst: a backlog, count / (last output - first input timestamp); paced: published at half"
                + " the burst rate, latency = output - input record timestamp; batch = the pipeline's max batch size"
                + " (max wait " + MAX_WAIT.toMillis() + " ms), bare = the encoder alone at that batch size");
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double decodeRate(ClipImageTransform transform, List<byte[]> jpegs) throws InvalidImageException {
        for (byte[] jpeg : jpegs) {
            transform.preprocess(jpeg);
        }
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - start < 2_000_000_000L) {
            transform.preprocess(jpegs.get(n++ % jpegs.size()));
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Images per second of the image tower alone, on the inference thread, at one batch size (best of runs). */
    private static double bareRate(ActiveModel active, List<PreparedImage> prepared, int batch, int runs)
            throws InterruptedException {
        List<PreparedImage> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            images.add(prepared.get(i % prepared.size()));
        }
        active.call(model -> Embeddings.ofImages(model, images)); // warm this shape
        double best = 0;
        for (int run = 0; run < runs; run++) {
            Embeddings embeddings = active.call(model -> Embeddings.ofImages(model, images));
            best = Math.max(best, batch / (embeddings.modelTime().toNanos() / 1e9));
        }
        return best;
    }

    private static Row throughKafka(Plan plan, int batch, double bare, ActiveModel active, List<byte[]> jpegs)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String images = "bench-images-" + run;
        String embeddings = "bench-embeddings-" + run;
        String rejected = "bench-rejected-" + run;
        String servers = EmbeddedKafka.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(images, PARTITIONS, (short) 1),
                    new NewTopic(embeddings, PARTITIONS, (short) 1),
                    new NewTopic(rejected, 1, (short) 1))).all().get();
            awaitLeaders(admin, List.of(images, embeddings, rejected));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbeddingPipeline.Settings settings = EmbeddingPipeline.Settings.of("bench-" + run, batch, MAX_WAIT,
                Math.max(64, 2 * batch), Map.of("bootstrap.servers", servers)).withTopics(images, embeddings, rejected);
        try (Inputs inputs = new Inputs(servers, images); Outputs outputs = new Outputs(servers, embeddings);
                EmbeddingPipeline pipeline = new EmbeddingPipeline(settings, active, new EmbedderMetrics(registry))) {
            pipeline.start();
            int warmUp = Math.max(8, 2 * batch);
            inputs.publish(jpegs, warmUp, 0);
            outputs.await(warmUp);

            double batchesBefore = registry.summary("clipstream.embedder.batch.size").count();
            double imagesBefore = registry.summary("clipstream.embedder.batch.size").totalAmount();
            long firstInput = inputs.publish(jpegs, plan.burst(), 0);
            List<ConsumerRecord<byte[], byte[]>> burst = outputs.await(plan.burst());
            long lastOutput = burst.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
            double burstRate = plan.burst() / ((lastOutput - firstInput) / 1000.0);
            double meanBatch = (registry.summary("clipstream.embedder.batch.size").totalAmount() - imagesBefore)
                    / (registry.summary("clipstream.embedder.batch.size").count() - batchesBefore);

            double pacedRate = burstRate / 2;
            inputs.publish(jpegs, plan.paced(), (long) (1e9 / pacedRate));
            List<ConsumerRecord<byte[], byte[]>> paced = outputs.await(plan.paced());
            double[] latencies = paced.stream().mapToDouble(r -> r.timestamp() - inputs.timestamp(key(r))).sorted()
                    .toArray();
            return new Row(plan.preset(), batch, bare, burstRate, pacedRate, percentile(latencies, 0.5),
                    percentile(latencies, 0.99), meanBatch);
        }
    }

    /** New partitions answer NOT_LEADER until their leader is known everywhere: start once it is. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null);
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leaders for " + topics);
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Publishes raw JPEG records and remembers each one's timestamp by key. */
    private static final class Inputs implements AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;
        private final String topic;
        private final Map<String, Long> timestamps = new HashMap<>();
        private int next;

        Inputs(String servers, String topic) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            // Inputs need no idempotence here; with it, the in-process broker under full CPU load once answered
            // OUT_OF_ORDER_SEQUENCE_NUMBER to a retried batch for minutes.
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            props.put(ProducerConfig.ACKS_CONFIG, "1");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            this.topic = topic;
        }

        /** Publishes {@code count} images, {@code intervalNanos} apart (0: at once); returns the first timestamp. */
        long publish(List<byte[]> jpegs, int count, long intervalNanos) throws InterruptedException {
            long first = -1;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                }
                String key = "image-" + next;
                long timestamp = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic, null, timestamp, key, jpegs.get(next % jpegs.size())));
                next++;
                timestamps.put(key, timestamp);
                first = first < 0 ? timestamp : first;
                if (intervalNanos > 0) {
                    producer.flush();
                }
            }
            producer.flush();
            return first;
        }

        long timestamp(String key) {
            return timestamps.get(key);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads the embeddings topic from its start, in order of arrival. */
    private static final class Outputs implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;

        Outputs(String servers, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** The next {@code count} embeddings (the deadline only stops a run that would hang). */
        List<ConsumerRecord<byte[], byte[]>> await(int count) {
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
            if (read.size() < count) {
                throw new IllegalStateException("only " + read.size() + " of " + count + " embeddings arrived");
            }
            return read;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
