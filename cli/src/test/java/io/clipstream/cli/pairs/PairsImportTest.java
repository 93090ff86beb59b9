package io.clipstream.cli.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.CliRun;
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

    @Test
    void sendsEveryFileWithACaptionAndListsEachFileItSkipsWithWhy(@TempDir Path dir) throws Exception {
        String prefix = "kinds-" + UUID.randomUUID().toString().substring(0, 8);
        Files.write(dir.resolve(prefix + "-a.png"), TestImages.png(40, 40, 1));
        Files.write(dir.resolve(prefix + "-b.pdf"), "%PDF-1.4\n%not an image\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve(prefix + "-c.tiff"), new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0});
        for (String stem : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve(prefix + "-" + stem + ".txt"), "caption " + stem);
        }
        Files.writeString(dir.resolve(prefix + "-d.svg"), "<svg/>"); // no caption
        Files.writeString(dir.resolve(prefix + "-orphan.txt"), "a caption without its image");
        Files.writeString(dir.resolve(".DS_Store"), "");

        CliRun.Result result = CliRun.run("pairs", "import", dir.toString(), "-b",
                EmbeddedKafka.shared().bootstrapServers()).assertNoStackTrace();
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.err().contains("sent 3, failed 0, skipped 3"), result.toString());
        assertTrue(result.err().contains("skipped " + prefix + "-d.svg: no caption file " + prefix + "-d.txt"), result.toString());
        assertTrue(result.err().contains("skipped " + prefix + "-orphan.txt: a caption with no image"), result.toString());
        assertTrue(result.err().contains("skipped .DS_Store: a hidden file"), result.toString());
        assertTrue(result.err().contains(prefix + "-b.pdf, " + prefix + "-c.tiff") && result.err().contains(Topics.PAIRS_REJECTED),
                "says which files ingest may reject, and where: " + result);

        Map<String, String> captions = read(prefix, 3);
        assertEquals(Map.of(prefix + "-a", "caption a", prefix + "-b", "caption b", prefix + "-c", "caption c"), captions);
    }

    @Test
    void aCaptionThatIsNotUtf8FailsAloneInOneLine(@TempDir Path dir) throws Exception {
        String prefix = "utf8-" + UUID.randomUUID().toString().substring(0, 8);
        Files.write(dir.resolve(prefix + "-good.png"), TestImages.png(40, 40, 1));
        Files.writeString(dir.resolve(prefix + "-good.txt"), "a good caption");
        Files.write(dir.resolve(prefix + "-latin1.png"), TestImages.png(40, 40, 2));
        Files.write(dir.resolve(prefix + "-latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        CliRun.run("pairs", "import", dir.toString(), "-b", EmbeddedKafka.shared().bootstrapServers())
                .failsWithOneLine("caption " + prefix + "-latin1.txt is not valid UTF-8");
        assertEquals(Map.of(prefix + "-good", "a good caption"), read(prefix, 1));
    }

    @Test
    void aJsonLinesLineThatIsNotUtf8FailsAlone(@TempDir Path dir) throws Exception {
        String prefix = "jsonl8-" + UUID.randomUUID().toString().substring(0, 8);
        Files.write(dir.resolve("x.png"), TestImages.png(40, 40, 3));
        Path jsonl = dir.resolve("pairs.jsonl");
        try (var out = Files.newOutputStream(jsonl)) {
            out.write(("{\"image\": \"x.png\", \"caption\": \"one\", \"pairId\": \"" + prefix + "-1\"}\n").getBytes(StandardCharsets.UTF_8));
            out.write(("{\"image\": \"x.png\", \"caption\": \"caf\u00e9\", \"pairId\": \"" + prefix + "-2\"}\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(("{\"image\": \"x.png\", \"caption\": \"three\", \"pairId\": \"" + prefix + "-3\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        CliRun.Result result = CliRun.run("pairs", "import", jsonl.toString(), "-b", EmbeddedKafka.shared().bootstrapServers())
                .failsWithOneLine("pairs.jsonl:2: not valid UTF-8");
        assertTrue(result.err().contains("sent 2, failed 1"), result.toString());
        assertEquals(Map.of(prefix + "-1", "one", prefix + "-3", "three"), read(prefix, 2));
    }

    @Test
    void aBrokerThatIsDownOrAMissingInputIsOneLine(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.png"), TestImages.png(40, 40, 1));
        Files.writeString(dir.resolve("a.txt"), "caption");
        CliRun.run("pairs", "import", dir.toString(), "-b", "127.0.0.1:1", "--kafka-timeout", "PT1S")
                .failsWithOneLine("cannot reach Kafka at 127.0.0.1:1 within 1 s");
        CliRun.run("pairs", "import", dir.resolve("nope").toString(), "-b", "127.0.0.1:1")
                .failsWithOneLine("nope is neither a folder nor a JSON Lines file");
        CliRun.run("pairs", "import", dir.toString(), "-b", "no-such-host.invalid:9092")
                .failsWithOneLine("No resolvable bootstrap urls given in bootstrap.servers");
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
