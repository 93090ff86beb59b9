package io.clipstream.classifier.stream;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.api.ApiException;
import io.clipstream.classifier.api.ClassificationView;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Live classifications for SSE subscribers: ONE plain Kafka consumer (no group: it reads every partition, from the
 * end as of start-up, committed transactions only) on its own thread ({@link ClassificationPoller}: restarted with a
 * backoff when it fails, resuming where it stopped), fanned out to every subscriber whose filter matches. A
 * subscriber that cannot keep up is disconnected once its buffer is full rather than slowing the others; how many
 * may subscribe is capped ({@link SubscriberSlots}).
 */
@ApplicationScoped
public class ClassificationFeed {

    private static final Logger LOG = Logger.getLogger(ClassificationFeed.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record Subscriber(ClassificationFilter filter, MultiEmitter<? super ClassificationView> emitter) {
    }

    private final KafkaClientSettings kafka;
    private final int bufferSize;
    private final SubscriberSlots slots;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AvroSerde<Classification> classifications = AvroSerde.of(Classification.class);
    private ClassificationPoller poller;

    public ClassificationFeed(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            ClassifierConfig config, MeterRegistry registry) {
        this.kafka = KafkaClientSettings.of(kafka);
        this.bufferSize = config.subscriberBuffer();
        this.slots = new SubscriberSlots(config.maxSubscribers(), config.maxSubscribersPerClient());
        Gauge.builder("clipstream.classifier.subscribers", subscribers, Set::size)
                .description("Live classification subscribers (SSE)").register(registry);
    }

    void start(@Observes StartupEvent started) {
        poller = new ClassificationPoller(Topics.CLASSIFICATIONS, this::newConsumer, this::dispatch, MIN_BACKOFF,
                MAX_BACKOFF);
        poller.start("clipstream-classification-feed");
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-classifier-feed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (poller != null) {
            try {
                poller.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        subscribers.forEach(s -> s.emitter().complete());
    }

    /**
     * Classifications from now on that pass {@code filter}, as they arrive.
     *
     * @param client the subscriber's remote address, for the per-client cap
     * @throws ApiException 429 or 503 when over a cap (before anything is streamed)
     */
    public Multi<ClassificationView> subscribe(ClassificationFilter filter, String client) {
        SubscriberSlots.Slot slot = slots.acquire(client);
        return Multi.createFrom().<ClassificationView>emitter(emitter -> {
            Subscriber subscriber = new Subscriber(filter, emitter);
            subscribers.add(subscriber);
            emitter.onTermination(() -> {
                subscribers.remove(subscriber);
                slot.release();
            });
        }, bufferSize).onCancellation().invoke(slot::release);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Whether the feed reads classifications, or why not (readiness). */
    public FeedHealth health() {
        return poller == null ? new FeedHealth(false, "not started", null, 0) : poller.health();
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
