package io.clipstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.KafkaAccessCheck;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The secured broker: SASL_SSL with SCRAM-SHA-512, and each service's principal limited to the catalog's ACLs. */
class SecuredKafkaTest {

    private static final SecuredKafka BROKER = SecuredKafka.shared();

    @Test
    void eachServiceWritesItsOwnTopicsAndNoOther() {
        System.out.printf("secured in-process KRaft broker started in %d ms (certificates, users, ACLs, topics)%n",
                BROKER.startMillis());
        for (ServiceAccess access : ServiceAccess.all()) {
            try (KafkaProducer<String, String> producer = producer(BROKER.clientSettings(access.service()))) {
                for (Topics.TopicSpec topic : Topics.all()) {
                    boolean allowed = access.writes().contains(topic.name());
                    String what = access.service() + " writing " + topic.name();
                    try {
                        producer.send(new ProducerRecord<>(topic.name(), "k", "v")).get(30, TimeUnit.SECONDS);
                        assertTrue(allowed, what + " should be denied");
                    } catch (ExecutionException e) {
                        assertTrue(!allowed, what + " should be allowed: " + e.getCause());
                        assertInstanceOf(TopicAuthorizationException.class, e.getCause(), what);
                    } catch (Exception e) {
                        throw new AssertionError(what + ": " + e, e);
                    }
                }
            }
        }
    }

    @Test
    void eachServiceReadsItsOwnTopicsAndNoOther() {
        for (ServiceAccess access : ServiceAccess.all()) {
            try (KafkaConsumer<String, String> consumer = consumer(BROKER.clientSettings(access.service()), null)) {
                for (Topics.TopicSpec topic : Topics.all()) {
                    boolean allowed = access.reads().contains(topic.name());
                    String what = access.service() + " reading " + topic.name();
                    consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
                    consumer.seekToBeginning(consumer.assignment());
                    if (allowed) {
                        consumer.poll(Duration.ofMillis(200));
                        assertTrue(consumer.position(new TopicPartition(topic.name(), 0), Duration.ofSeconds(30)) >= 0,
                                what);
                    } else {
                        assertThrows(TopicAuthorizationException.class, () -> {
                            consumer.poll(Duration.ofSeconds(5));
                            consumer.position(new TopicPartition(topic.name(), 0), Duration.ofSeconds(30));
                        }, what);
                    }
                    consumer.unsubscribe();
                }
            }
        }
    }

    @Test
    void aServiceJoinsItsOwnGroupOnly() {
        KafkaClientSettings embedder = BROKER.clientSettings(ServiceAccess.EMBEDDER);
        try (KafkaConsumer<String, String> own = consumer(embedder, ServiceAccess.EMBEDDER)) {
            own.subscribe(List.of(Topics.IMAGES));
            own.poll(Duration.ofMillis(500));
            own.commitSync(Duration.ofSeconds(30));
        }
        try (KafkaConsumer<String, String> other = consumer(embedder, ServiceAccess.INGEST)) {
            other.subscribe(List.of(Topics.IMAGES));
            assertThrows(GroupAuthorizationException.class, () -> other.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aStreamsServiceUsesTransactionsUnderItsApplicationIdOnly() {
        KafkaClientSettings ingest = BROKER.clientSettings(ServiceAccess.INGEST);
        try (KafkaProducer<String, String> own = transactional(ingest, ServiceAccess.INGEST + "-test-0")) {
            own.initTransactions();
            own.beginTransaction();
            own.send(new ProducerRecord<>(Topics.PAIRS_NORMALIZED, "k", "v"));
            own.commitTransaction();
        }
        try (KafkaProducer<String, String> other = transactional(ingest, ServiceAccess.CLASSIFIER + "-test-0")) {
            assertThrows(TransactionalIdAuthorizationException.class, other::initTransactions);
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithAReason() {
        KafkaClientSettings wrong = BROKER.clientSettings(ServiceAccess.INGEST, "not-the-password");
        try (Admin admin = Admin.create(wrong.clientConfig())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("invalid credentials"), e.getCause().getMessage());
        }
    }

    @Test
    void theAccessCheckPassesWithTheServicesOwnPrincipalAndNamesWhatAnotherLacks() {
        for (ServiceAccess access : ServiceAccess.all()) {
            try (KafkaAccessCheck check = new KafkaAccessCheck(access, BROKER.clientSettings(access.service()),
                    Duration.ofSeconds(30))) {
                assertEquals(List.of(), check.problems(), access.service());
            }
        }
        try (KafkaAccessCheck wrongPrincipal = new KafkaAccessCheck(ServiceAccess.of(ServiceAccess.INGEST),
                BROKER.clientSettings(ServiceAccess.TRAINER), Duration.ofSeconds(30))) {
            List<String> problems = wrongPrincipal.problems();
            assertTrue(problems.contains("clipstream-ingest may not READ or WRITE topic clipstream.pairs.raw"
                    + " (no ACL allows this principal to)"), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("consumer group clipstream-ingest")),
                    problems.toString());
        }
        try (KafkaAccessCheck wrongPassword = new KafkaAccessCheck(ServiceAccess.of(ServiceAccess.EMBEDDER),
                BROKER.clientSettings(ServiceAccess.EMBEDDER, "not-the-password"), Duration.ofSeconds(30))) {
            List<String> problems = wrongPassword.problems();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("Kafka refused the credentials"), problems.toString());
        }
    }

    @Test
    void theServiceConfigCarriesNoPasswordOfAnotherUser() {
        Map<String, String> config = BROKER.serviceConfig(ServiceAccess.TRAINER);
        assertEquals("SASL_SSL", config.get("kafka.security.protocol"));
        assertTrue(config.get("kafka.sasl.jaas.config").contains("username=\"" + ServiceAccess.TRAINER + "\""));
        assertEquals(BROKER.bootstrapServers(), config.get("kafka.bootstrap.servers"));
    }

    private static KafkaProducer<String, String> producer(KafkaClientSettings kafka) {
        return new KafkaProducer<>(kafka.clientConfig(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000)),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaProducer<String, String> transactional(KafkaClientSettings kafka, String transactionalId) {
        return new KafkaProducer<>(kafka.clientConfig(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaClientSettings kafka, String group) {
        Map<String, Object> config = kafka.clientConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
