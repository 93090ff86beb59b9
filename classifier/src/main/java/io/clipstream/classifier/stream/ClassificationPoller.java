package io.clipstream.classifier.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic from its end (as of the first start) on a thread of its own, and hands each
 * record to a handler. When the consumer fails it is closed and a new one is made after a backoff that doubles up
 * to a maximum, resuming where the last one stopped; {@link #health()} says meanwhile that the feed is failing and
 * why. A handler that throws loses only that record (logged): it is the record's problem, not the feed's.
 */
final class ClassificationPoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClassificationPoller.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    /** The next offset to read per partition: where a new consumer resumes. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running;
    /** Counted down by {@link #close()}: ends a backoff at once. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile FeedHealth health = new FeedHealth(true, null, null, 0);
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private Thread thread;

    ClassificationPoller(String topic, Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            Consumer<ConsumerRecord<String, byte[]>> handler, Duration minBackoff, Duration maxBackoff) {
        this.topic = topic;
        this.consumers = consumers;
        this.handler = handler;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Makes the first consumer and positions it at the end before returning (whoever subscribes from now on sees
     * everything from now on), then polls on a daemon thread. Never throws: a failure here is retried there.
     */
    synchronized void start(String threadName) {
        running = true;
        try {
            consumer = consumers.get();
            assign(consumer);
        } catch (RuntimeException e) {
            failed(e);
        }
        thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
    }

    FeedHealth health() {
        return health;
    }

    private void run() {
        try {
            pollWithRestarts();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConsumer();
        }
    }

    private void pollWithRestarts() throws InterruptedException {
        Duration backoff = minBackoff;
        while (running) {
            try {
                if (consumer == null) {
                    health = new FeedHealth(health.up(), health.reason(), health.failingSince(), health.restarts() + 1);
                    consumer = consumers.get();
                }
                while (running) {
                    if (!assigned(consumer) && !assign(consumer)) {
                        if (stopped.await(1, TimeUnit.SECONDS)) { // the topic does not exist yet: not a failure
                            return;
                        }
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                        handle(record);
                    }
                    if (!health.up()) {
                        LOG.infof("the classification feed reads %s again (after %d restarts)", topic,
                                health.restarts());
                        health = new FeedHealth(true, null, null, health.restarts());
                    }
                    backoff = minBackoff;
                }
            } catch (WakeupException e) {
                // close() woke us up: the loop ends
            } catch (RuntimeException e) {
                if (!running) {
                    return; // interrupted by close()
                }
                failed(e);
                closeConsumer();
                LOG.warnf("the classification feed failed (%s); a new consumer in %d ms", e, backoff.toMillis());
                if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the classification at %s-%d@%d could not be handed to subscribers", record.topic(),
                    record.partition(), record.offset());
        }
    }

    private void failed(RuntimeException e) {
        FeedHealth before = health;
        health = new FeedHealth(false, e.toString(), before.up() ? Instant.now() : before.failingSince(), before.restarts());
    }

    private static boolean assigned(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer) {
        return !consumer.assignment().isEmpty();
    }

    /** Assigns every partition, resuming at the known positions (the end for the others); false if no topic yet. */
    private boolean assign(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            LOG.warnf("topic %s not found yet; the classification feed waits for it", topic);
            return false;
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(all);
        List<TopicPartition> unknown = all.stream().filter(p -> !positions.containsKey(p)).toList();
        consumer.seekToEnd(unknown);
        for (TopicPartition partition : all) {
            Long next = positions.get(partition);
            if (next != null) {
                consumer.seek(partition, next);
            } else {
                positions.put(partition, consumer.position(partition)); // resolve "the end" now, not at the first poll
            }
        }
        return true;
    }

    private void closeConsumer() {
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> closing = consumer;
        consumer = null;
        if (closing != null) {
            try {
                closing.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("closing the classification feed's consumer: %s", e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        stopped.countDown();
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread polling;
        synchronized (this) {
            polling = thread;
        }
        if (polling != null) {
            polling.join(Duration.ofSeconds(10)); // woken up, not interrupted: a consumer interrupted mid-close logs errors
        }
    }
}
