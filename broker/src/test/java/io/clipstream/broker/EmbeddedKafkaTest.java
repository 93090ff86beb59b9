package io.clipstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void startsARealBrokerWithEveryCatalogTopicAsConfigured() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.shared();
        System.out.printf("in-process KRaft broker started in %d ms (format, start-up and %d topics)%n",
                broker.startMillis(), Topics.all().size());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin
                    .describeTopics(Topics.all().stream().map(Topics.TopicSpec::name).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            for (Topics.TopicSpec spec : Topics.all()) {
                assertEquals(spec.partitions(), topics.get(spec.name()).partitions().size(), spec.name());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                spec.configs().forEach((key, value) ->
                        assertEquals(value, config.get(key).value(), spec.name() + " " + key));
            }
        }
        assertTrue(TopicProvisioner.ensureCatalog(broker.bootstrapServers(), (short) 1).isEmpty(), "idempotent");
    }

    @Test
    void avroRecordsRoundTripThroughTheBroker() {
        BrokerRoundTrip.check(EmbeddedKafka.shared().bootstrapServers(), Topics.IMAGES);
    }

    @Test
    void topicsOutsideTheCatalogAreNotCreatedByAccident() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("clipstream.typo", "k", "v")).get());
            assertTrue(e.getCause().getMessage().contains("clipstream.typo"), e.getCause().getMessage());
        }
    }
}
