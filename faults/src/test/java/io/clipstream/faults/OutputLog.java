package io.clipstream.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads output topics from their beginning while the scenario runs, as a subscriber would (read_committed, no
 * group): counts every record per accounting key and notes when each arrived, so the longest gap in output is the
 * longest stall a subscriber saw.
 */
final class OutputLog implements Arrivals, AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstArrivals = new ConcurrentHashMap<>();
    private volatile Exception failure;

    /** @param accountingKey what one record stands for (an image id; an image id and a label set), or null to skip it */
    OutputLog(String bootstrap, List<String> topics, Function<ConsumerRecord<String, byte[]>, String> accountingKey) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 << 20),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(() -> {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        String key = accountingKey.apply(record);
                        if (key != null) {
                            long now = System.nanoTime();
                            counts.merge(key, 1, Integer::sum);
                            firstArrivals.putIfAbsent(key, now);
                            arrivals.add(now);
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                // closed
            } catch (Exception e) {
                failure = e;
            }
        }, "output-log");
        thread.setDaemon(true);
    }

    OutputLog start() {
        thread.start();
        return this;
    }

    /** Waits until {@code expected} distinct keys arrived, or until nothing new arrived for {@code quiet}. */
    void awaitKeys(int expected, Duration quiet) throws Exception {
        int seen = -1;
        long lastChange = System.nanoTime();
        while (counts.size() < expected) {
            if (failure != null) {
                throw failure;
            }
            int now = arrivals.size();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
        // Late duplicates (a redelivered batch) may still be on their way.
        Thread.sleep(2000);
    }

    @Override
    public Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    @Override
    public Map<String, Long> firstArrivals() {
        return Map.copyOf(firstArrivals);
    }

    int records() {
        return arrivals.size();
    }

    @Override
    public double maxGapSeconds() {
        List<Long> times = new ArrayList<>(arrivals);
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            max = Math.max(max, times.get(i) - times.get(i - 1));
        }
        return max / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
        consumer.close();
    }
}
