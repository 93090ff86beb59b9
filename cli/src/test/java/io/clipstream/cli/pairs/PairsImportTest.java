package io.clipstream.cli.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.Clipstream;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairsImportTest {

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

    @Test
    void importsAFolderAndSaysWhatFailed(@TempDir Path dir) throws Exception {
        String prefix = "folder-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            Files.write(dir.resolve(prefix + "-" + i + ".png"), TestImages.png(40, 40, i));
            Files.writeString(dir.resolve(prefix + "-" + i + ".txt"), "picture number " + i + "\n");
        }
        Files.write(dir.resolve(prefix + "-orphan.png"), TestImages.png(40, 40, 9)); // no caption

        String out = run("pairs", "import", dir.toString(), "-b", EmbeddedKafka.shared().bootstrapServers());
        assertTrue(out.startsWith("1\n"), "a failure makes the exit code 1: " + out);
        assertTrue(out.contains("sent 3, failed 1"), out);
        assertTrue(out.contains("no caption file " + prefix + "-orphan.txt"), out);

        Map<String, String> captions = read(prefix, 3);
        assertEquals("picture number 1", captions.get(prefix + "-1"));
    }

    @Test
    void importsJsonLinesWithImagesInAnotherFolder() throws Exception {
        Path fixtures = Path.of(System.getProperty("clipstream.fixtures"), "emoji");
        List<String> lines = Files.readAllLines(fixtures.resolve("pairs.jsonl")).subList(0, 12);
        Path jsonl = Files.createTempFile("pairs", ".jsonl");
        Files.write(jsonl, lines);

        String out = run("pairs", "import", jsonl.toString(), "--image-dir", fixtures.resolve("google").toString(),
                "-b", EmbeddedKafka.shared().bootstrapServers());
        assertTrue(out.startsWith("0\n") && out.contains("sent 12, failed 0"), out);
        Map<String, String> captions = read("00", 12);
        assertTrue(captions.values().stream().anyMatch(c -> c.startsWith("keycap")), captions.toString());
    }

    private static Map<String, String> read(String prefix, int expected) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, ImageTextPair>> records = kafka.readUntil(Topics.PAIRS_RAW,
                    AvroSerde.of(ImageTextPair.class),
                    r -> r.stream().filter(x -> x.key().startsWith(prefix)).count() >= expected, Duration.ofSeconds(30));
            return records.stream().filter(r -> r.key().startsWith(prefix))
                    .collect(Collectors.toMap(ConsumerRecord::key, r -> r.value().getCaption(), (a, b) -> a));
        }
    }
}
