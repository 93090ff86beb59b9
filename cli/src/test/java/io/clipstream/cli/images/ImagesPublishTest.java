package io.clipstream.cli.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.CliRun;
import io.clipstream.cli.Clipstream;
import io.clipstream.cli.kafka.Thumbnails;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesPublishTest {

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

    private static Map<String, ConsumerRecord<String, byte[]>> read(String prefix, int expected) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, byte[]>> records = kafka.readBytesUntil(Topics.IMAGES,
                    r -> r.stream().filter(x -> x.key() != null && x.key().startsWith(prefix)).count() >= expected,
                    Duration.ofSeconds(30));
            Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
            records.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).forEach(r -> byKey.put(r.key(), r));
            return byKey;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void publishesAFolderAndFilesAsRawImagesKeyedByNameWithTypeAndAttributes(@TempDir Path dir) throws Exception {
        String prefix = "img-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] png = TestImages.png(40, 30, 1);
        byte[] jpeg = TestImages.jpeg(40, 30, 2);
        Files.write(dir.resolve(prefix + "-a.png"), png);
        Files.write(dir.resolve(prefix + "-b.JPG"), jpeg);
        Files.writeString(dir.resolve(prefix + "-notes.txt"), "not an image, not published");
        Files.write(dir.resolve(prefix + "-empty.png"), new byte[0]);
        Path elsewhere = Files.createDirectory(dir.resolve("more")).resolve(prefix + "-c.bin");
        Files.write(elsewhere, png);

        String out = run("images", "publish", dir.toString(), elsewhere.toString(), "--attribute", "camera=7",
                "-a", "site=north", "-b", EmbeddedKafka.shared().bootstrapServers());
        assertTrue(out.startsWith("1\n"), "a failure makes the exit code 1: " + out);
        assertTrue(out.contains("sent 3, failed 1"), out);
        assertTrue(out.contains("empty file"), out);

        Map<String, ConsumerRecord<String, byte[]>> records = read(prefix, 3);
        assertEquals(Set.of(prefix + "-a", prefix + "-b", prefix + "-c"), records.keySet());
        assertArrayEquals(png, records.get(prefix + "-a").value());
        assertArrayEquals(jpeg, records.get(prefix + "-b").value());
        assertEquals("image/png", header(records.get(prefix + "-a"), "content-type"));
        assertEquals("image/jpeg", header(records.get(prefix + "-b"), "content-type"));
        assertNull(header(records.get(prefix + "-c"), "content-type"), "no type guessed for .bin");
        for (ConsumerRecord<String, byte[]> record : records.values()) {
            assertEquals("7", header(record, "attr.camera"));
            assertEquals("north", header(record, "attr.site"));
        }
    }

    @Test
    void thumbnailsRideAlongForTheConsole(@TempDir Path dir) throws Exception {
        String prefix = "thumb-" + UUID.randomUUID().toString().substring(0, 8);
        Files.write(dir.resolve(prefix + "-a.png"), TestImages.png(400, 300, 1));
        Files.write(dir.resolve(prefix + "-b.png"), new byte[] {1, 2, 3});
        String out = run("images", "publish", dir.toString(), "--thumbnails", "-a", "site=north", "-b",
                EmbeddedKafka.shared().bootstrapServers());
        assertTrue(out.startsWith("0\n"), out);
        Map<String, ConsumerRecord<String, byte[]>> records = read(prefix, 2);
        String thumbnail = header(records.get(prefix + "-a"), "attr." + Thumbnails.ATTRIBUTE);
        assertTrue(thumbnail != null && thumbnail.startsWith("data:image/") && thumbnail.length() <= 4000, thumbnail);
        assertEquals("north", header(records.get(prefix + "-a"), "attr.site"));
        assertNull(header(records.get(prefix + "-b"), "attr." + Thumbnails.ATTRIBUTE), "none for what is no image");
        assertEquals("north", header(records.get(prefix + "-b"), "attr.site"));
    }

    @Test
    void aFolderIsSentWhateverTheExtensionsAndWhatIsSkippedIsListed(@TempDir Path dir) throws Exception {
        String prefix = "kinds-" + UUID.randomUUID().toString().substring(0, 8);
        Files.write(dir.resolve(prefix + "-a.png"), TestImages.png(40, 30, 1));
        Files.write(dir.resolve(prefix + "-b.tiff"), new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0});
        Files.write(dir.resolve(prefix + "-c.pdf"), "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve(prefix + "-a.txt"), "a caption");
        Files.writeString(dir.resolve(".hidden"), "");

        CliRun.Result result = CliRun.run("images", "publish", dir.toString(), "-b",
                EmbeddedKafka.shared().bootstrapServers()).assertNoStackTrace();
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.err().contains("sent 3, failed 0, skipped 2"), result.toString());
        assertTrue(result.err().contains("skipped " + prefix + "-a.txt: a text file"), result.toString());
        assertTrue(result.err().contains("skipped .hidden: a hidden file"), result.toString());
        assertTrue(result.err().contains(prefix + "-b.tiff, " + prefix + "-c.pdf") && result.err().contains(Topics.IMAGES_REJECTED),
                result.toString());
        assertEquals(Set.of(prefix + "-a", prefix + "-b", prefix + "-c"), read(prefix, 3).keySet());
    }

    @Test
    void aBrokerThatIsDownIsOneLine(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.png"), TestImages.png(40, 30, 1));
        CliRun.run("images", "publish", dir.toString(), "-b", "127.0.0.1:1", "--kafka-timeout", "PT1S")
                .failsWithOneLine("cannot reach Kafka at 127.0.0.1:1 within 1 s");
    }

    @Test
    void saysWhatIsWrongWithTheArguments(@TempDir Path dir) {
        String missing = run("images", "publish", dir.resolve("nope").toString(), "-b", "127.0.0.1:1");
        assertTrue(missing.startsWith("2\n") && missing.contains("neither a file nor a folder"), missing);
        String empty = run("images", "publish", dir.toString(), "-b", "127.0.0.1:1");
        assertTrue(empty.startsWith("2\n") && empty.contains("holds no image files"), empty);
    }
}
