package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingest\" password=\"s3cret\";";

    @Test
    void securitySettingsPassThroughUnchangedAndOthersStayOut() {
        KafkaClientSettings settings = KafkaClientSettings.of(Map.of(
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/ca.p12",
                "group.id", "clipstream-ingest",
                "value.serializer", "x"));

        Map<String, Object> client = settings.clientConfig(Map.of("client.id", "uploads"));

        assertEquals(Map.of("bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/ca.p12", "client.id", "uploads"), client);
        assertEquals(settings.clientConfig(), Map.copyOf(settings.properties()));
    }

    @Test
    void printsNoSecret() {
        KafkaClientSettings settings = KafkaClientSettings.of(Map.of("bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS, "ssl.truststore.password", "changeit"));

        assertEquals("broker:9093 (SASL_SSL)", settings.toString());
        assertFalse(settings.toString().contains("s3cret"));
    }

    @Test
    void aClientPropertiesFileGetsTheServersGivenApart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");

        KafkaClientSettings settings = KafkaClientSettings.fromFile(file, "broker:9093");

        assertEquals("broker:9093", settings.bootstrapServers());
        assertEquals("SCRAM-SHA-512", settings.clientConfig().get("sasl.mechanism"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientSettings.fromFile(dir.resolve("nope.properties"), "broker:9093"));
        assertTrue(missing.getMessage().contains("nope.properties"), missing.getMessage());
    }

    @Test
    void noServersIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaClientSettings.of(Map.of("security.protocol", "SSL")));
        assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
    }
}
