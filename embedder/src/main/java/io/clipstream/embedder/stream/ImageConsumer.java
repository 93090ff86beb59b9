package io.clipstream.embedder.stream;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.schemas.RejectReason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The consumer thread: reads clipstream.images in the consumer group, decodes and prepares each image (so decoding
 * runs beside the model, not before it), queues the records in read order, and commits what the
 * {@link OffsetTracker} says is done. Nothing is read before a model is active. When an output fails, it drains
 * the pipeline, commits up to the failure and starts a new consumer, which reads again from there.
 *
 * <p>With more than one decode thread ({@code clipstream.embedder.decode.threads}), the images of a poll are decoded
 * on a pool of that many threads, at most two per thread ahead of the oldest one not yet queued, and queued in read
 * order as they finish; all of a poll's records are queued before the next poll, so a rebalance finds none half
 * done. With one, the consumer thread decodes them itself.
 */
final class ImageConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(ImageConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RECOVERY_BACKOFF = Duration.ofSeconds(1);

    /** What the consumer is doing. */
    enum State {
        WAITING_FOR_MODEL, CONSUMING, RECOVERING, STOPPED, FAILED
    }

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final ActiveModel model;
    private final MicroBatcher<PendingRecord> batcher;
    private final OffsetTracker offsets;
    private final EmbedderMetrics metrics;
    private final Duration drainTimeout;
    private final DecodeBudget decodeBudget;
    private final ImageRecordReader reader = new ImageRecordReader();
    private volatile boolean running = true;
    private volatile State state = State.WAITING_FOR_MODEL;
    private volatile String lastError;
    private volatile Set<TopicPartition> assignment = Set.of();
    /** Whether the group has handed this consumer an assignment (possibly empty) since start: readiness. */
    private final io.clipstream.schemas.GroupJoined group = new io.clipstream.schemas.GroupJoined();
    /** Null with one decode thread: the consumer thread decodes. */
    private final ExecutorService decoders;
    private final int decodeWindow;

    ImageConsumer(Supplier<Consumer<byte[], byte[]>> consumers, String topic, ActiveModel model,
            MicroBatcher<PendingRecord> batcher, OffsetTracker offsets, EmbedderMetrics metrics, Duration drainTimeout,
            DecodeBudget decodeBudget) {
        this(consumers, topic, model, batcher, offsets, metrics, drainTimeout, decodeBudget, 1);
    }

    /** @param decodeThreads threads that decode images, at least 1 (1: the consumer thread itself) */
    ImageConsumer(Supplier<Consumer<byte[], byte[]>> consumers, String topic, ActiveModel model,
            MicroBatcher<PendingRecord> batcher, OffsetTracker offsets, EmbedderMetrics metrics, Duration drainTimeout,
            DecodeBudget decodeBudget, int decodeThreads) {
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be at least 1, not " + decodeThreads);
        }
        this.consumers = consumers;
        this.topic = topic;
        this.model = model;
        this.batcher = batcher;
        this.offsets = offsets;
        this.metrics = metrics;
        this.drainTimeout = drainTimeout;
        this.decodeBudget = decodeBudget;
        this.decodeWindow = 2 * decodeThreads;
        AtomicInteger threadNumber = new AtomicInteger();
        this.decoders = decodeThreads == 1 ? null : Executors.newFixedThreadPool(decodeThreads, task -> {
            Thread thread = new Thread(task, "embedder-decode-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    State state() {
        return state;
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    boolean joined() {
        return group.joined();
    }

    /** Stops reading; the records read so far are finished and committed before the thread ends. */
    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running && !model.awaitFirst(POLL)) {
                // Records wait in Kafka until there is a model to embed them with.
            }
            while (running) {
                try (Consumer<byte[], byte[]> consumer = consumers.get()) {
                    consume(consumer);
                } catch (KafkaException e) {
                    lastError = "consumer failed: " + e;
                    LOG.error("the consumer of " + topic + " failed; starting a new one", e);
                }
                if (running) {
                    state = State.RECOVERING;
                    offsets.awaitIdle(drainTimeout);
                    offsets.reset();
                    Thread.sleep(RECOVERY_BACKOFF.toMillis());
                }
            }
            state = State.STOPPED;
        } catch (InterruptedException e) {
            state = State.STOPPED;
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            lastError = "consumer thread ended: " + e;
            LOG.error("the consumer thread of " + topic + " ended", e);
            throw e;
        } finally {
            if (decoders != null) {
                decoders.shutdownNow();
            }
        }
    }

    private void consume(Consumer<byte[], byte[]> consumer) throws InterruptedException {
        consumer.subscribe(List.of(topic), new Rebalancing(consumer));
        state = State.CONSUMING;
        while (running) {
            Optional<Exception> failure = offsets.failure();
            if (failure.isPresent()) {
                lastError = "an output failed, reading again from the last commit: " + failure.get().getMessage();
                LOG.error(lastError, failure.get());
                offsets.awaitIdle(drainTimeout);
                commitSync(consumer, offsets.committable());
                return;
            }
            Deque<Future<PendingRecord>> decoding = new ArrayDeque<>();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (!running) {
                    break; // not submitted, so not committed: the next owner reads it
                }
                metrics.read();
                if (decoders == null) {
                    queue(prepare(record));
                    continue;
                }
                long readNanos = System.nanoTime();
                ImageInput input = reader.read(record);
                decoding.add(decoders.submit(() -> prepare(record, input, readNanos)));
                if (decoding.size() >= decodeWindow) {
                    queue(finished(decoding.poll()));
                }
            }
            while (!decoding.isEmpty()) {
                if (!running) {
                    decoding.forEach(pending -> pending.cancel(true)); // not submitted either
                    break;
                }
                queue(finished(decoding.poll()));
            }
            commitAsync(consumer, offsets.committable());
        }
        if (!offsets.awaitIdle(drainTimeout)) {
            LOG.warnf("stopping with %d records unfinished after %s: they will be read again", offsets.inFlight(),
                    drainTimeout);
        }
        commitSync(consumer, offsets.committable());
    }

    private void queue(PendingRecord pending) throws InterruptedException {
        offsets.submitted(pending.partition(), pending.offset());
        batcher.put(pending);
    }

    /** The record a decode thread prepared; what it threw, thrown here. */
    private static PendingRecord finished(Future<PendingRecord> pending) throws InterruptedException {
        try {
            return pending.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case InterruptedException interrupted -> throw interrupted;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * Reads and prepares one record. Decoding waits for its share of the decode budget (which HTTP shares): the
     * stream slows down, it never drops. A prepared record keeps its pixels only, not its value or a copy of it.
     */
    PendingRecord prepare(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        long readNanos = System.nanoTime();
        return prepare(record, reader.read(record), readNanos);
    }

    /** Decodes and prepares the image of a record read at {@code readNanos}; on any thread. */
    private PendingRecord prepare(ConsumerRecord<byte[], byte[]> record, ImageInput read, long readNanos)
            throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        ImageInput input = read;
        PreparedImage image = null;
        if (input instanceof ImageInput.Image wanted) {
            try {
                image = PreparedImage.of(wanted.encoded(), model.transform().orElseThrow(), decodeBudget);
                input = wanted.withoutEncoded();
            } catch (InvalidImageException e) {
                input = new ImageInput.Invalid(wanted.imageId(), e.reason(), e.getMessage()
                        + (wanted.contentType() == null ? "" : " (declared " + wanted.contentType() + ")"),
                        wanted.attributes());
            } catch (RuntimeException e) {
                LOG.errorf(e, "preparing image %s failed", wanted.imageId());
                input = new ImageInput.Invalid(wanted.imageId(), RejectReason.INTERNAL_ERROR,
                        "preparing the image failed: " + e, wanted.attributes());
            }
        }
        return new PendingRecord(partition, record.offset(), record.timestamp(), record.key(),
                image == null ? record.value() : null, input, image, readNanos);
    }

    private void commitAsync(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> positions) {
        if (!positions.isEmpty()) {
            consumer.commitAsync(positions, (committed, error) -> {
                if (error != null) {
                    // A later commit covers these offsets; at worst some records are embedded twice.
                    LOG.warnf("commit failed: %s", error.toString());
                }
            });
        }
    }

    private void commitSync(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> positions) {
        if (positions.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(positions);
        } catch (KafkaException e) {
            LOG.warnf("commit of %s failed: %s; those records will be embedded again", positions, e.toString());
        }
    }

    /** Hands over partitions cleanly: what was read from them is finished and committed first. */
    private final class Rebalancing implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> consumer;

        Rebalancing(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                offsets.awaitIdle(drainTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commitSync(consumer, offsets.committable(partitions));
            offsets.forget(partitions);
            updateAssignment(partitions, false);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member owns them already: committing would fail, and is not ours to do.
            offsets.forget(partitions);
            updateAssignment(partitions, false);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            updateAssignment(partitions, true);
            group.observe(true); // called after every assignment, also an empty one
        }

        private void updateAssignment(Collection<TopicPartition> partitions, boolean added) {
            Set<TopicPartition> now = new HashSet<>(assignment);
            if (added) {
                now.addAll(partitions);
            } else {
                now.removeAll(partitions);
            }
            assignment = Set.copyOf(now);
        }
    }
}
