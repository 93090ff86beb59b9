package io.clipstream.search.stream;

import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.EmbeddingCheck;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.search.runtime.SearchMetrics;
import io.clipstream.search.index.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the vector index from {@code clipstream.embeddings}: one consumer in its own group, on one thread.
 *
 * <p>Where the offsets that count live depends on the store ({@link VectorStore#positions()}). The embedded Lucene
 * index keeps them in its commits: each commit stores the next offset of every partition read together with the
 * vectors read up to there, and when partitions are assigned the consumer is seeked to those positions (to the
 * beginning of a partition the index has never read: the index is the truth, so an index lost with its volume is
 * rebuilt from the topic as far as its retention reaches); the group's committed offsets follow each index commit only
 * so that lag is visible to operators and autoscalers. OpenSearch keeps none: the group's offsets are the truth,
 * committed synchronously and only after the bulk requests were acknowledged (at least once: what is read again
 * replaces its own documents).
 *
 * <p>Every record ends in the index or in {@code clipstream.embeddings.rejected} with a reason (also those the store
 * refuses when the batch is written); the index is committed only after the rejections read before it are
 * acknowledged, and the offsets only after the rejections of what the store refused.
 */
public final class EmbeddingIndexer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingIndexer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    /** How the indexer runs. */
    public record Settings(String groupId, Map<String, Object> kafka, GroupMembership membership,
            Duration commitInterval, int commitMaxRecords, Duration refreshInterval, Duration retention) {
    }

    /** For the liveness check and the status endpoint. */
    public record Status(String state, boolean alive, List<String> assignment, long indexed, long rejected,
            String lastError) {
    }

    private final Settings settings;
    private final VectorStore index;
    private final SearchMetrics metrics;
    private final Supplier<Optional<String>> servingVersion;
    private final Clock clock;
    private final AvroSerde<ImageEmbedding> embeddings = ClipSerdes.imageEmbedding();
    private final AvroSerde<io.clipstream.schemas.Rejected> rejections = ClipSerdes.rejected();
    private final AtomicReference<String> state = new AtomicReference<>("STARTING");
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Throwable> rejectFailure = new AtomicReference<>();
    private volatile List<String> assignment = List.of();
    private volatile long indexed;
    private volatile long rejected;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /** Next offsets read since the last commit, by partition. */
    private final Map<TopicPartition, Long> pending = new TreeMap<>(
            (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
    private int pendingRecords;
    /** What was added since the last commit, with the record it came from (a refusal is rejected with it). */
    private final Map<VectorStore.Entry, ConsumerRecord<byte[], byte[]>> pendingAdds = new IdentityHashMap<>();
    private long lastCommitNanos = System.nanoTime();
    private long lastRefreshNanos = System.nanoTime();

    public EmbeddingIndexer(Settings settings, VectorStore index, SearchMetrics metrics,
            Supplier<Optional<String>> servingVersion, Clock clock) {
        this.settings = settings;
        this.index = index;
        this.metrics = metrics;
        this.servingVersion = servingVersion;
        this.clock = clock;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("clipstream-search-indexer").daemon().start(this::run);
        }
    }

    public Status status() {
        Thread t = thread;
        boolean alive = t != null && t.isAlive() || !running;
        return new Status(state.get(), alive, assignment, indexed, rejected, lastError.get());
    }

    private void run() {
        while (running) {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig());
                    KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerConfig())) {
                consumer = kafka;
                kafka.subscribe(List.of(Topics.EMBEDDINGS), new Positions(kafka, producer));
                state.set("RUNNING");
                try {
                    while (running) {
                        ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            handle(record, producer);
                        }
                        maybeCommit(kafka, producer);
                    }
                    commit(kafka, producer);
                } catch (WakeupException e) {
                    throw e;
                } catch (Exception e) {
                    // Forgotten before the consumer closes: closing revokes its partitions, and the commit before
                    // that must not count what failed (a rejection not written, a batch not acknowledged) as done.
                    discardPending();
                    index.discardUncommitted();
                    throw e;
                }
            } catch (WakeupException e) {
                // close(): the loop ends
            } catch (Exception e) {
                // Nothing since the last commit is lost: the next consumer starts from the committed positions.
                lastError.set(e.toString());
                metrics.indexerRestart();
                LOG.error("the embedding indexer failed; it starts again from the {}",
                        index.positions() == VectorStore.Positions.IN_STORE ? "index's committed positions"
                                : "group's committed offsets", e);
                discardPending();
                index.discardUncommitted();
                state.set("RESTARTING");
                sleep(RESTART_DELAY);
            } finally {
                consumer = null;
                assignment = List.of();
            }
        }
        state.set("STOPPED");
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer)
            throws IOException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        pending.put(partition, record.offset() + 1);
        pendingRecords++;
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null || record.value().length == 0) {
            reject(record, producer, key, RejectReason.INVALID_RECORD, "an embedding record without a value", null);
            return;
        }
        ImageEmbedding embedding;
        try {
            embedding = embeddings.decode(record.value());
        } catch (RecordDecodingException e) {
            reject(record, producer, key, e.reason(), e.getMessage(), null);
            return;
        } catch (RuntimeException e) {
            reject(record, producer, key, RejectReason.UNDECODABLE_RECORD, e.toString(), null);
            return;
        }
        Optional<String> problem = EmbeddingCheck.problem(embedding)
                .or(() -> AttributeLimits.DEFAULT.violation(embedding.getAttributes()));
        if (problem.isEmpty()) {
            VectorStore.Entry entry = entry(embedding);
            problem = index.problem(entry);
            if (problem.isEmpty()) {
                index.add(entry, clock.instant());
                pendingAdds.put(entry, record);
                return;
            }
        }
        reject(record, producer, embedding.getImageId(), RejectReason.INVALID_RECORD, problem.get(),
                embedding.getModelVersion());
    }

    private static VectorStore.Entry entry(ImageEmbedding embedding) {
        List<Float> values = embedding.getVector();
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return new VectorStore.Entry(embedding.getImageId(), embedding.getModelVersion(), vector,
                embedding.getEventTime(), embedding.getAttributes());
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer, String id,
            RejectReason reason, String message, String modelVersion) {
        rejected++;
        metrics.rejected(reason);
        LOG.warn("embedding {} at {}-{}@{} rejected: {}: {}", id, record.topic(), record.partition(), record.offset(),
                reason, message);
        byte[] value = rejections.encode(Rejections.of(id, reason, message,
                new Rejections.Source(record.topic(), record.partition(), record.offset()), record.key(),
                record.value(), ServiceAccess.SEARCH, modelVersion, Map.of()));
        producer.send(new ProducerRecord<>(Topics.EMBEDDINGS_REJECTED, record.key(), value), (metadata, error) -> {
            if (error != null) {
                rejectFailure.compareAndSet(null, error);
            }
        });
    }

    private void maybeCommit(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> producer)
            throws IOException {
        long now = System.nanoTime();
        if (pendingRecords >= settings.commitMaxRecords() || now - lastCommitNanos >= settings.commitInterval().toNanos()) {
            commit(kafka, producer);
        } else if (pendingRecords > 0 && now - lastRefreshNanos >= settings.refreshInterval().toNanos()) {
            index.refresh();
            lastRefreshNanos = now;
        }
    }

    /**
     * Rejections acknowledged, then the index committed (with the positions, where it keeps them), then the rejections
     * of what it refused acknowledged, then the group's offsets: for lag, or, where the store keeps no positions, as
     * the positions themselves.
     */
    private void commit(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> producer)
            throws IOException {
        lastCommitNanos = System.nanoTime();
        applyRetention();
        if (pending.isEmpty()) {
            return;
        }
        producer.flush();
        Throwable failure = rejectFailure.getAndSet(null);
        if (failure != null) {
            throw new IOException("a rejection could not be written to " + Topics.EMBEDDINGS_REJECTED
                    + "; not committing past it", failure);
        }
        Map<String, Long> positions = new TreeMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        pending.forEach((partition, next) -> {
            positions.put(VectorStore.positionKey(partition.topic(), partition.partition()), next);
            offsets.put(partition, new OffsetAndMetadata(next));
        });
        long start = System.nanoTime();
        List<VectorStore.Refusal> refusals = index.commit(positions);
        metrics.committed(pendingRecords, System.nanoTime() - start);
        lastRefreshNanos = System.nanoTime();
        for (VectorStore.Refusal refusal : refusals) {
            ConsumerRecord<byte[], byte[]> record = pendingAdds.remove(refusal.entry());
            if (record == null) {
                throw new IllegalStateException("the index refused an embedding it was not given: "
                        + refusal.entry().imageId());
            }
            reject(record, producer, refusal.entry().imageId(), RejectReason.INVALID_RECORD, refusal.reason(),
                    refusal.entry().modelVersion());
        }
        for (VectorStore.Entry entry : pendingAdds.keySet()) {
            indexed++;
            metrics.indexed(entry.modelVersion());
        }
        pendingAdds.clear();
        if (index.positions() == VectorStore.Positions.IN_CONSUMER_GROUP) {
            if (!refusals.isEmpty()) {
                producer.flush();
                failure = rejectFailure.getAndSet(null);
                if (failure != null) {
                    throw new IOException("a rejection could not be written to " + Topics.EMBEDDINGS_REJECTED
                            + "; the group's offsets are not committed past it", failure);
                }
            }
            try {
                kafka.commitSync(offsets);
            } catch (KafkaException e) {
                // Not committed: what was written is read again, and replaces its own documents.
                throw new IOException("the group's offsets could not be committed after the bulk write", e);
            }
            pending.clear();
            pendingRecords = 0;
            return;
        }
        pending.clear();
        pendingRecords = 0;
        kafka.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("group offsets not committed (lag only; the index holds the positions): {}", error.toString());
            }
        });
    }

    /**
     * Versions other than the serving one (or, none rolled out, the newest), with nothing indexed for longer than the
     * retention, are deleted. Committed at once: a commit may hold more than its positions say (what is replayed
     * replaces its own document), never less.
     */
    private void applyRetention() throws IOException {
        Map<String, Instant> last = index.lastIndexed();
        if (last.size() < 2) {
            return;
        }
        String newest = last.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
        String kept = servingVersion.get().orElse(newest);
        Instant cutoff = clock.instant().minus(settings.retention());
        boolean deleted = false;
        for (Map.Entry<String, Instant> version : last.entrySet()) {
            if (!version.getKey().equals(kept) && !version.getKey().equals(newest)
                    && version.getValue().isBefore(cutoff)) {
                LOG.info("model version {}: nothing indexed since {}, past the retention of {}; its vectors are deleted",
                        version.getKey(), version.getValue(), settings.retention());
                index.deleteVersion(version.getKey());
                metrics.versionDeleted(version.getKey());
                deleted = true;
            }
        }
        if (deleted && pending.isEmpty()) {
            index.commit(Map.of());
        }
    }

    private void discardPending() {
        pending.clear();
        pendingRecords = 0;
        pendingAdds.clear();
    }

    /**
     * Seeks to the index's positions when partitions are assigned (where it keeps them; else the group's offsets
     * stand); commits the index before they are revoked.
     */
    private final class Positions implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> kafka;
        private final KafkaProducer<byte[], byte[]> producer;

        Positions(KafkaConsumer<byte[], byte[]> kafka, KafkaProducer<byte[], byte[]> producer) {
            this.kafka = kafka;
            this.producer = producer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(kafka, producer);
            } catch (IOException e) {
                if (index.positions() == VectorStore.Positions.IN_CONSUMER_GROUP) {
                    // This consumer's positions are past what was not committed: it starts over from the group's
                    // offsets (poll throws this, and run() restarts the consumer).
                    throw new UncheckedIOException("the index was not committed before a rebalance", e);
                }
                // Not committed: the next owner (or this consumer, reassigned) starts from the last commit.
                LOG.warn("index not committed before a rebalance: {}", e.toString());
                discardPending();
            }
            updateAssignment(kafka);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (index.positions() == VectorStore.Positions.IN_CONSUMER_GROUP) {
                // The group's committed offsets (or, a new group, the earliest) are where to resume.
                updateAssignment(kafka);
                return;
            }
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Optional<Long> position = index.committedPosition(partition.topic(), partition.partition());
                if (position.isPresent()) {
                    kafka.seek(partition, position.get());
                } else {
                    fresh.add(partition);
                }
            }
            if (!fresh.isEmpty()) {
                LOG.info("partitions {} were never indexed here: read from the beginning", fresh);
                kafka.seekToBeginning(fresh);
            }
            updateAssignment(kafka);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (index.positions() == VectorStore.Positions.IN_CONSUMER_GROUP) {
                // Another member owns them now and the group's offsets can no longer be committed: what was read
                // since the last commit is read again, by it and by this consumer started over.
                updateAssignment(kafka);
                if (!pending.isEmpty()) {
                    throw new IllegalStateException("partitions " + partitions + " were lost with "
                            + pendingRecords + " records read and not committed; reading again from the group's offsets");
                }
                return;
            }
            // The index is this replica's own: what was read of a lost partition is still good to commit.
            onPartitionsRevoked(partitions);
        }
    }

    private void updateAssignment(KafkaConsumer<byte[], byte[]> kafka) {
        assignment = kafka.assignment().stream().map(TopicPartition::toString).sorted().toList();
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new TreeMap<>(settings.kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-search-indexer");
        config.putAll(settings.membership().consumerConfig("indexer"));
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new TreeMap<>(settings.kafka());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "clipstream-search-rejections");
        return config;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading, commits what was read, and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        Thread t = thread;
        if (t != null) {
            t.join(Duration.ofSeconds(30));
            if (t.isAlive() && current != null) {
                current.wakeup();
                t.join(Duration.ofSeconds(10));
            }
        }
    }
}
