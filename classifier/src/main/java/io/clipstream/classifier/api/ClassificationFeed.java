package io.clipstream.classifier.api;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ClassificationFilter;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Live classifications for SSE subscribers: ONE plain Kafka consumer (no group: it reads every partition, from the
 * end as of start-up, committed transactions only) on its own thread, fanned out to every subscriber whose filter
 * matches. A subscriber that cannot keep up is disconnected once its buffer is full rather than slowing the others.
 */
@ApplicationScoped
public class ClassificationFeed {

    private static final Logger LOG = Logger.getLogger(ClassificationFeed.class);

    private record Subscriber(ClassificationFilter filter, MultiEmitter<? super ClassificationView> emitter) {
    }

    private final KafkaClientSettings kafka;
    private final int bufferSize;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AvroSerde<Classification> classifications = AvroSerde.of(Classification.class);
    private KafkaConsumer<String, byte[]> consumer;
    private Thread poller;
    private volatile boolean running;
    private boolean assigned;

    public ClassificationFeed(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            ClassifierConfig config, MeterRegistry registry) {
        this.kafka = KafkaClientSettings.of(kafka);
        this.bufferSize = config.subscriberBuffer();
        Gauge.builder("clipstream.classifier.subscribers", subscribers, Set::size)
                .description("Live classification subscribers (SSE)").register(registry);
    }

    void start(@Observes StartupEvent started) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-classifier-feed");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        // Positioned before start-up completes: whoever subscribes from now on sees everything classified from now on.
        assign();
        running = true;
        poller = Thread.ofPlatform().daemon().name("clipstream-classification-feed").start(this::run);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (poller != null) {
            try {
                poller.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        subscribers.forEach(s -> s.emitter().complete());
    }

    /** Classifications from now on that pass {@code filter}, as they arrive. */
    public Multi<ClassificationView> subscribe(ClassificationFilter filter) {
        return Multi.createFrom().emitter(emitter -> {
            Subscriber subscriber = new Subscriber(filter, emitter);
            subscribers.add(subscriber);
            emitter.onTermination(() -> subscribers.remove(subscriber));
        }, bufferSize);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private void run() {
        try {
            while (running) {
                if (!assigned) {
                    assign();
                    if (!assigned) {
                        Thread.sleep(1000);
                        continue;
                    }
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            // stop() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the classification feed stopped; subscribers are disconnected");
            subscribers.forEach(s -> s.emitter().fail(e));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void assign() {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.CLASSIFICATIONS, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                LOG.warnf("topic %s not found yet; the classification feed waits for it", Topics.CLASSIFICATIONS);
                return;
            }
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(all);
            consumer.seekToEnd(all);
            all.forEach(consumer::position); // resolve "the end" now, not at the first poll
            assigned = true;
        } catch (RuntimeException e) {
            LOG.warnf("the classification feed cannot read %s yet: %s", Topics.CLASSIFICATIONS, e.getMessage());
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        if (subscribers.isEmpty() || record.value() == null) {
            return;
        }
        Classification classification;
        try {
            classification = classifications.decode(record.value());
        } catch (RecordDecodingException e) {
            LOG.warnf("skipping an unreadable classification at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        ClassificationView view = null;
        for (Subscriber subscriber : subscribers) {
            if (subscriber.filter().test(classification)) {
                view = view == null ? ClassificationView.of(classification) : view;
                subscriber.emitter().emit(view);
            }
        }
    }
}
