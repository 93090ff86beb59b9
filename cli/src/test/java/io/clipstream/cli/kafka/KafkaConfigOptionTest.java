package io.clipstream.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.SecuredKafka;
import io.clipstream.cli.Clipstream;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka-config}: the CLI's clients take a client properties file, against the SASL_SSL broker with ACLs. */
class KafkaConfigOptionTest {

    private static final SecuredKafka BROKER = SecuredKafka.shared();

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Clipstream.commandLine().execute(args);
            return code + "\n" + err.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(original);
        }
    }

    private static Path clientProperties(Path dir, KafkaClientSettings settings) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            settings.properties().store(writer, null);
        }
        return file;
    }

    @Test
    void imagesArePublishedOverSaslSslWithTheGivenCredentials(@TempDir Path dir) throws Exception {
        String id = "secured-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = dir.resolve(id + ".png");
        Files.write(image, TestImages.png(40, 30, 1));

        String out = run("images", "publish", image.toString(), "-b", BROKER.bootstrapServers(),
                "--kafka-config", clientProperties(dir, BROKER.adminSettings()).toString());

        assertTrue(out.startsWith("0\n"), out);
        try (KafkaTestClient admin = new KafkaTestClient(BROKER.adminSettings())) {
            List<ConsumerRecord<String, byte[]>> read = admin.readBytesUntil(Topics.IMAGES,
                    r -> r.stream().anyMatch(x -> id.equals(x.key())), Duration.ofSeconds(30));
            assertTrue(read.stream().anyMatch(x -> id.equals(x.key())), "the image is on " + Topics.IMAGES);
        }
    }

    @Test
    void aPrincipalWithoutTheAclIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("x.png");
        Files.write(image, TestImages.png(40, 30, 1));

        String out = run("images", "publish", image.toString(), "-b", BROKER.bootstrapServers(), "--kafka-timeout",
                "PT20S", "--kafka-config", clientProperties(dir, BROKER.clientSettings(ServiceAccess.TRAINER)).toString());

        assertFalse(out.startsWith("0\n"), out);
        assertTrue(out.contains("refused this client"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void aMissingConfigFileIsAClearError(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("x.png");
        Files.write(image, TestImages.png(40, 30, 1));
        String out = run("images", "publish", image.toString(), "-b", BROKER.bootstrapServers(),
                "--kafka-config", dir.resolve("nope.properties").toString());
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.contains("cannot read the Kafka client config"), out);
    }
}
