package io.clipstream.embedder.stream;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.EmbedderMetrics;
import io.clipstream.embedder.ImageInput;
import io.clipstream.embedder.ImageRecordReader;
import io.clipstream.embedder.MicroBatcher;
import io.clipstream.embedder.OffsetTracker;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.schemas.RejectReason;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    ImageConsumer(Supplier<Consumer<byte[], byte[]>> consumers, String topic, ActiveModel model,
            MicroBatcher<PendingRecord> batcher, OffsetTracker offsets, EmbedderMetrics metrics, Duration drainTimeout,
            DecodeBudget decodeBudget) {
        this.consumers = consumers;
        this.topic = topic;
        this.model = model;
        this.batcher = batcher;
        this.offsets = offsets;
        this.metrics = metrics;
        this.drainTimeout = drainTimeout;
        this.decodeBudget = decodeBudget;
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
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (!running) {
                    break; // not submitted, so not committed: the next owner reads it
                }
                metrics.read();
                PendingRecord pending = prepare(record);
                offsets.submitted(pending.partition(), pending.offset());
                batcher.put(pending);
            }
            commitAsync(consumer, offsets.committable());
        }
        if (!offsets.awaitIdle(drainTimeout)) {
            LOG.warnf("stopping with %d records unfinished after %s: they will be read again", offsets.inFlight(),
                    drainTimeout);
        }
        commitSync(consumer, offsets.committable());
    }

    /**
     * Reads and prepares one record. Decoding waits for its share of the decode budget (which HTTP shares): the
     * stream slows down, it never drops. A prepared record keeps its pixels only, not its value or a copy of it.
     */
    PendingRecord prepare(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long readNanos = System.nanoTime();
        ImageInput input = reader.read(record);
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
