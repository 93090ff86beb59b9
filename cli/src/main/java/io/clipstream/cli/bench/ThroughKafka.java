package io.clipstream.cli.bench;

import io.clipstream.cli.CommandFailure;
import io.clipstream.cli.demo.RolloutFile;
import io.clipstream.cli.local.FreePorts;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.LocalRunException;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.local.ServiceSettings;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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

/**
 * {@code bench --through-kafka}: the packaged embedder on a standalone broker of its own (a partial local stack in a
 * temporary run folder, beside any {@code local up}), serving the bench's model (random weights) from the run's
 * checkpoint store through its rollout file. Per batch size, as embedder/src/test/.../EmbedderBench measures it in
 * one JVM:
 * <ul>
 * <li>burst: a backlog published to {@value Topics#IMAGES} at once; images/s = count / (last output − first input
 * record timestamp);</li>
 * <li>paced: images published at half the burst rate; latency = output − input record timestamp, p50/p99.</li>
 * </ul>
 * The broker, the embedder and this process share the machine's cores.
 */
final class ThroughKafka implements AutoCloseable {

    static final String EMBEDDER = "embedder";
    /** How long the broker and the embedder may take to start, and the embedder to load the checkpoint. */
    private static final long START_TIMEOUT_SECONDS = 180;
    /** The embedder's max wait for a batch to fill, as EmbedderBench uses. */
    private static final String MAX_WAIT = "10ms";
    /** Fewest images a burst or a paced run measures: fewer give a rate or a p99 of a handful of records. */
    private static final int MIN_BURST = 32;
    private static final int MIN_PACED = 20;
    private static final int MAX_IMAGES = 20_000;

    /** One batch size's figures through Kafka. */
    record Figures(int batch, double imagesPerSecond, double ratioToBare, double pacedPerSecond, double p50Millis,
            double p99Millis) {
    }

    private final Path runDirectory;
    private final LocalStack stack;
    private final Precision precision;
    /** Ctrl-C while the stack runs stops it too. */
    private final Thread stopper;
    private Inputs inputs;
    private Outputs outputs;
    private int servedBatch;
    private boolean started;
    private boolean measured;

    private ThroughKafka(Path runDirectory, LocalStack stack, Precision precision) {
        this.runDirectory = runDirectory;
        this.stack = stack;
        this.precision = precision;
        this.stopper = new Thread(stack::stop, "clipstream-bench-stop");
    }

    /**
     * A stack of the broker and the embedder, on free ports, checked but not started: a checkout without the
     * packaged broker or embedder is refused here, before anything is measured.
     */
    static ThroughKafka prepare(Installation installation, Precision precision, int firstBatch) throws IOException {
        List<String> missing = installation.missingBuildOutputs(List.of(EMBEDDER));
        if (!missing.isEmpty()) {
            throw new CommandFailure("--through-kafka needs the packaged broker and embedder; not built: "
                    + String.join(", ", missing) + ". Build first: ./mvnw -B -DskipTests package (in "
                    + installation.home() + ")");
        }
        int kafkaPort = FreePorts.consecutive(2);
        int httpPort = FreePorts.consecutive(Installation.portSpan());
        Path runDirectory = Files.createTempDirectory("clipstream-bench-");
        LocalStack stack = LocalStack.partial(installation, kafkaPort, httpPort, runDirectory,
                settings(firstBatch, precision), List.of(EMBEDDER));
        try {
            stack.checkPreconditions();
        } catch (LocalRunException e) {
            throw new CommandFailure(firstLine(e));
        }
        ThroughKafka through = new ThroughKafka(runDirectory, stack, precision);
        through.servedBatch = firstBatch;
        return through;
    }

    /**
     * The embedder's settings for one batch size. It reads them once, at start (EmbedderConfig is fixed
     * configuration), so each batch size gets an embedder process of its own; that also starts each size from the
     * same state, with no batch shapes warmed by the size before.
     */
    private static ServiceSettings settings(int batch, Precision precision) {
        return new ServiceSettings(Map.of(EMBEDDER, Map.of(
                "clipstream.embedder.batch.max-size", Integer.toString(batch),
                "clipstream.embedder.batch.max-wait", MAX_WAIT,
                "clipstream.embedder.batch.queue-capacity", Integer.toString(Math.max(64, 2 * batch)),
                "clipstream.model.precision", precision.label())));
    }

    /**
     * Publishes {@code model} (random weights) as a checkpoint in the run's store, rolls it out, starts the broker and
     * the embedder and waits until the embedder serves it.
     */
    void start(ClipModel model, String configName) throws IOException {
        String version = "bench-" + configName;
        ArtifactStore store = ArtifactStore.open(LocalStack.checkpointStore(runDirectory).toUri().toString());
        Path staged = store.newStagingDirectory();
        // No tokenizer: the stream embeds images only.
        Checkpoints.save(staged, model, CheckpointManifest.of(version, null, model.config(), Map.of()));
        store.publish(version, staged);
        RolloutFile.write(LocalStack.rolloutFile(runDirectory), version);
        started = true;
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            stack.start(START_TIMEOUT_SECONDS, (component, message) -> BenchCommand.progress("%s: %s", component,
                    message));
            stack.awaitReady(EMBEDDER, START_TIMEOUT_SECONDS);
        } catch (LocalRunException e) {
            throw new CommandFailure(firstLine(e));
        }
        BenchCommand.progress("embedder: serves %s (batch %d, precision %s)", version, servedBatch, precision.label());
        inputs = new Inputs(stack.bootstrapServers());
        outputs = new Outputs(stack.bootstrapServers());
    }

    /** The burst and the paced run at {@code batch}; {@code bare} is the image tower's images/s at that size. */
    Figures measure(int batch, double bare, List<byte[]> images, double seconds) {
        if (batch != servedBatch) {
            BenchCommand.progress("embedder: restarting with batch %d ...", batch);
            try {
                stack.restart(EMBEDDER, settings(batch, precision), START_TIMEOUT_SECONDS);
                stack.awaitReady(EMBEDDER, START_TIMEOUT_SECONDS);
            } catch (LocalRunException e) {
                throw new CommandFailure(firstLine(e));
            }
            servedBatch = batch;
        }
        Duration patience = Duration.ofSeconds((long) Math.max(60, 20 * seconds));
        int warmUp = Math.max(8, 2 * batch);
        BenchCommand.progress("through Kafka, batch %d: warm-up, %d images ...", batch, warmUp);
        outputs.await(inputs.publish("b" + batch + "-warm", images, warmUp, 0), patience, log());

        int burstCount = (int) Math.min(MAX_IMAGES, Math.max(Math.max(MIN_BURST, 4 * batch),
                Math.ceil(bare * seconds)));
        BenchCommand.progress("through Kafka, batch %d: burst of %d images ...", batch, burstCount);
        Map<String, Long> burstInputs = inputs.publish("b" + batch + "-burst", images, burstCount, 0);
        Map<String, Long> burstOutputs = outputs.await(burstInputs, patience, log());
        long firstInput = burstInputs.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long lastOutput = burstOutputs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double burstRate = burstCount / (Math.max(1, lastOutput - firstInput) / 1000.0);

        double pacedRate = burstRate / 2;
        int pacedCount = (int) Math.min(MAX_IMAGES, Math.max(MIN_PACED, Math.ceil(pacedRate * seconds)));
        BenchCommand.progress("through Kafka, batch %d: %d images at %.1f/s ...", batch, pacedCount, pacedRate);
        Map<String, Long> pacedInputs = inputs.publish("b" + batch + "-paced", images, pacedCount,
                (long) (1e9 / pacedRate));
        Map<String, Long> pacedOutputs = outputs.await(pacedInputs, patience, log());
        double[] latencies = pacedOutputs.entrySet().stream()
                .mapToDouble(e -> e.getValue() - pacedInputs.get(e.getKey())).sorted().toArray();
        measured = true;
        return new Figures(batch, burstRate, burstRate / bare, pacedRate, percentile(latencies, 0.5),
                percentile(latencies, 0.99));
    }

    private Path log() {
        return stack.log(stack.service(EMBEDDER));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** What a local run says first (the rest is a log's tail, which the run folder keeps). */
    private static String firstLine(LocalRunException e) {
        return e.getMessage().lines().findFirst().map(line -> line.replaceAll(":$", ""))
                .orElse("the local stack did not start");
    }

    /**
     * Stops the embedder and the broker; the run folder (logs, broker data, the checkpoint) is deleted once every
     * batch size was measured (or nothing started), and kept for its logs otherwise.
     */
    @Override
    public void close() {
        try {
            if (outputs != null) {
                outputs.close();
            }
            if (inputs != null) {
                inputs.close();
            }
        } finally {
            stack.stop();
            if (started) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook stops the stack (again, harmlessly)
                }
            }
            if (measured || !started) {
                deleteRecursively(runDirectory);
            } else {
                BenchCommand.progress("the run's logs are in %s", runDirectory);
            }
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes the bench's images as plain records, keyed per phase, and says when each one was stamped. */
    private static final class Inputs implements AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Inputs(String bootstrapServers) {
            Properties props = KafkaClientSettings.plaintext(bootstrapServers).properties();
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            // As EmbedderBench: no idempotence needed for inputs; a retried batch under full CPU load could otherwise
            // be answered OUT_OF_ORDER_SEQUENCE_NUMBER for minutes.
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            props.put(ProducerConfig.ACKS_CONFIG, "1");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }

        /**
         * Publishes {@code count} images, {@code intervalNanos} apart (0: at once), keyed {@code <phase>-<n>};
         * returns each key's record timestamp.
         */
        Map<String, Long> publish(String phase, List<byte[]> images, int count, long intervalNanos) {
            Map<String, Long> timestamps = new LinkedHashMap<>();
            long start = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    long due = start + i * intervalNanos;
                    while (System.nanoTime() < due) {
                        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    }
                    String key = phase + "-" + i;
                    long timestamp = System.currentTimeMillis();
                    producer.send(new ProducerRecord<>(Topics.IMAGES, null, timestamp, key, images.get(i % images.size())),
                            (meta, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                }
                            });
                    timestamps.put(key, timestamp);
                    if (intervalNanos > 0) {
                        producer.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("interrupted while publishing to " + Topics.IMAGES);
            }
            producer.flush();
            if (failure.get() != null) {
                throw new CommandFailure("could not publish to " + Topics.IMAGES + ": " + failure.get().getMessage());
            }
            return timestamps;
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads {@value Topics#EMBEDDINGS} (and {@value Topics#IMAGES_REJECTED}) from where they ended at the start. */
    private static final class Outputs implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;

        Outputs(String bootstrapServers) {
            Properties props = KafkaClientSettings.plaintext(bootstrapServers).properties();
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED)) {
                IntStream.range(0, Topics.get(topic).partitions()).mapToObj(p -> new TopicPartition(topic, p))
                        .forEach(partitions::add);
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // now, not at the first poll, which may come after the inputs
        }

        /**
         * The output record timestamp of each input key; an embedder that restarted may embed an image twice, and
         * the first output counts. Fails on a rejected image and after {@code patience} without all.
         */
        Map<String, Long> await(Map<String, Long> inputs, Duration patience, Path embedderLog) {
            Map<String, Long> outputs = new HashMap<>();
            long deadline = System.nanoTime() + patience.toNanos();
            while (outputs.size() < inputs.size()) {
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure("only " + outputs.size() + " of " + inputs.size() + " embeddings arrived"
                            + " within " + patience.toSeconds() + " s; see " + embedderLog);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() == null || !inputs.containsKey(record.key())) {
                        continue;
                    }
                    if (record.topic().equals(Topics.IMAGES_REJECTED)) {
                        throw new CommandFailure("the embedder rejected image " + record.key() + " (see "
                                + Topics.IMAGES_REJECTED + " and " + embedderLog + "): is every --images file one "
                                + "it takes?");
                    }
                    outputs.putIfAbsent(record.key(), record.timestamp());
                }
            }
            return outputs;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
