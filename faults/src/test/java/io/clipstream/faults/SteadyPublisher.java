package io.clipstream.faults;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@code count} records with ids {@code <prefix>-0 … <prefix>-(count-1)} at a steady rate on its own thread
 * (an idempotent producer with acks=all: the input itself is neither lost nor doubled, so the accounting measures
 * the services only).
 */
final class SteadyPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final AtomicInteger published = new AtomicInteger();
    private final long[] sentAt;
    private volatile Exception failure;

    SteadyPublisher(String bootstrap, String topic, String prefix, int count, double perSecond, IntFunction<byte[]> value) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000),
                new StringSerializer(), new ByteArraySerializer());
        this.sentAt = new long[count];
        long intervalNanos = (long) (1e9 / perSecond);
        this.thread = new Thread(() -> {
            long next = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next += intervalNanos;
                    sentAt[i] = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, prefix + "-" + i, value.apply(i)), (metadata, error) -> {
                        if (error != null) {
                            failure = error;
                        }
                    });
                    published.incrementAndGet();
                }
                producer.flush();
            } catch (Exception e) {
                failure = e;
            }
        }, "publisher-" + topic);
        thread.setDaemon(true);
    }

    SteadyPublisher start() {
        thread.start();
        return this;
    }

    /** When record {@code index} was sent ({@link System#nanoTime()}). */
    long sentAt(int index) {
        return sentAt[index];
    }

    int published() {
        return published.get();
    }

    void awaitPublishedAtLeast(int records) throws InterruptedException {
        while (published.get() < records && thread.isAlive()) {
            Thread.sleep(20);
        }
    }

    void awaitDone() throws Exception {
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
