package io.clipstream.embedder.stream;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * clipstream.images → embeddings, with a plain consumer and producer: the consumer thread reads and decodes
 * ({@link ImageConsumer}), a {@link MicroBatcher} groups the images, the worker thread runs each batch on the
 * inference thread and writes the outputs ({@link EmbeddingWorker}), and offsets are committed once the outputs
 * are acknowledged ({@link OffsetTracker}): at-least-once, in order per partition.
 *
 * <p>Why not Kafka Streams: batching across records, a model call off the stream thread, and holding commits
 * until outputs are acknowledged are what this loop is; in a Streams processor they would fight its one-record
 * {@code process} and its own commit cycle. Exactly-once would not make the embedder's output more exact either:
 * a replayed image gets the same vector from the same model version.
 */
public final class EmbeddingPipeline implements AutoCloseable {

    /**
     * @param kafka          client settings every Kafka client gets ({@code kafka.*}: bootstrap servers, security)
     * @param drainTimeout   longest a rebalance or shutdown waits for the records in the pipeline
     * @param queueMaxBytes  most bytes in the queue (see {@link MicroBatcher})
     * @param decodeThreads  threads decoding images, at least 1 (1: the consumer thread; see {@link ImageConsumer})
     */
    public record Settings(String imagesTopic, String embeddingsTopic, String rejectedTopic, String groupId,
            int maxBatchSize, Duration maxBatchWait, int queueCapacity, Duration drainTimeout,
            Map<String, Object> kafka, long queueMaxBytes, GroupMembership membership, int decodeThreads) {

        public Settings {
            if (decodeThreads < 1) {
                throw new IllegalArgumentException("decode threads must be at least 1, not " + decodeThreads);
            }
        }

        /** The default byte bound of the queue (clipstream.embedder.memory.queue-max-bytes). */
        public static final long DEFAULT_QUEUE_MAX_BYTES = 64L << 20;

        public static Settings of(String groupId, int maxBatchSize, Duration maxBatchWait, int queueCapacity,
                Map<String, Object> kafka) {
            return new Settings(Topics.IMAGES, Topics.EMBEDDINGS, Topics.IMAGES_REJECTED, groupId, maxBatchSize,
                    maxBatchWait, queueCapacity, Duration.ofSeconds(60), kafka, DEFAULT_QUEUE_MAX_BYTES,
                    GroupMembership.DYNAMIC, 1);
        }

        public Settings withTopics(String images, String embeddings, String rejected) {
            return new Settings(images, embeddings, rejected, groupId, maxBatchSize, maxBatchWait, queueCapacity,
                    drainTimeout, kafka, queueMaxBytes, membership, decodeThreads);
        }

        public Settings withQueueMaxBytes(long bytes) {
            return new Settings(imagesTopic, embeddingsTopic, rejectedTopic, groupId, maxBatchSize, maxBatchWait,
                    queueCapacity, drainTimeout, kafka, bytes, membership, decodeThreads);
        }

        /** Static membership under this replica's instance id (see {@link GroupMembership}). */
        public Settings withMembership(GroupMembership newMembership) {
            return new Settings(imagesTopic, embeddingsTopic, rejectedTopic, groupId, maxBatchSize, maxBatchWait,
                    queueCapacity, drainTimeout, kafka, queueMaxBytes, newMembership, decodeThreads);
        }

        /** Images decoded on {@code threads} threads (see {@link ImageConsumer}). */
        public Settings withDecodeThreads(int threads) {
            return new Settings(imagesTopic, embeddingsTopic, rejectedTopic, groupId, maxBatchSize, maxBatchWait,
                    queueCapacity, drainTimeout, kafka, queueMaxBytes, membership, threads);
        }
    }

    /**
     * What the stream is doing, for health checks.
     *
     * @param alive false when a pipeline thread ended unexpectedly: nothing more will be embedded
     * @param joined whether the group has handed the consumer an assignment since start (GroupJoined)
     */
    public record Status(String state, String lastError, Set<TopicPartition> assignment, int queued, int inFlight,
            boolean alive, boolean joined) {
    }

    private final Settings settings;
    private final MicroBatcher<PendingRecord> batcher;
    private final OffsetTracker offsets = new OffsetTracker();
    private final OutputWriter output;
    private final ImageConsumer consumer;
    private final Thread consumerThread;
    private final Thread workerThread;

    /** With a decode budget of half the heap, its own. */
    public EmbeddingPipeline(Settings settings, ActiveModel model, EmbedderMetrics metrics) {
        this(settings, model, metrics, DecodeBudget.ofHeap(0.5));
    }

    /** @param decodeBudget the budget decoding waits for; shared with HTTP embeds */
    public EmbeddingPipeline(Settings settings, ActiveModel model, EmbedderMetrics metrics, DecodeBudget decodeBudget) {
        this.settings = settings;
        this.batcher = new MicroBatcher<>(settings.maxBatchSize(), settings.maxBatchWait(), settings.queueCapacity(),
                settings.queueMaxBytes(), PendingRecord::bytes);
        metrics.queue(batcher);
        metrics.decodeThreads(settings.decodeThreads());
        this.output = new OutputWriter(new KafkaProducer<>(producerConfig(settings), new ByteArraySerializer(),
                new ByteArraySerializer()), settings.embeddingsTopic(), settings.rejectedTopic(), offsets, metrics);
        this.consumer = new ImageConsumer(() -> new KafkaConsumer<>(consumerConfig(settings),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()), settings.imagesTopic(), model, batcher,
                offsets, metrics, settings.drainTimeout(), decodeBudget, settings.decodeThreads());
        this.consumerThread = new Thread(consumer, "embedder-consumer");
        this.workerThread = new Thread(new EmbeddingWorker(batcher, model, output, metrics), "embedder-worker");
    }

    public void start() {
        workerThread.start();
        consumerThread.start();
    }

    public Status status() {
        return new Status(consumer.state().name(), consumer.lastError().orElse(null), consumer.assignment(),
                batcher.size(), offsets.inFlight(), consumer.state() != ImageConsumer.State.FAILED
                        && workerThread.getState() != Thread.State.TERMINATED, consumer.joined());
    }

    /** Stops reading, finishes and commits what was read, then closes the clients. */
    @Override
    public void close() throws InterruptedException {
        consumer.stop();
        if (consumerThread.isAlive()) {
            consumerThread.join(settings.drainTimeout().plusSeconds(30).toMillis());
        }
        batcher.close();
        if (workerThread.isAlive()) {
            workerThread.join(settings.drainTimeout().toMillis());
        }
        output.close();
    }

    private static Map<String, Object> consumerConfig(Settings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-images");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group embeds what is already there rather than skipping it.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // No more than fit in the queue: a poll's records are queued before the next poll.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.queueCapacity());
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        config.putAll(settings.membership().consumerConfig("images"));
        return config;
    }

    private static Map<String, Object> producerConfig(Settings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-outputs");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Rejections carry the original image.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return config;
    }
}
