package io.clipstream.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, given bad input or nothing to talk to, ends with one line that says what is wrong, never a stack
 * trace ({@code pairs import} and {@code images publish} are checked beside their own tests). A broker that is down is
 * port 1 of this machine, with a short {@code --kafka-timeout}.
 */
class BadInputTest {

    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void modelCommandsSayWhichFileIsWrong(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.txt.gz");
        CliRun.run("tokenize", "--vocab", missing.toString()).failsWithOneLine("no such file or folder: " + missing);
        Path notMerges = Files.writeString(dir.resolve("notes.txt"), "#version: 0.2\nthis line has three\n");
        CliRun.run("tokenize", "--vocab", notMerges.toString()).failsWithOneLine(notMerges + " line 2 is not a merge");
        Path words = Files.writeString(dir.resolve("words.txt"), "#version: 0.2\nhello world\n");
        CliRun.run("tokenize", "--vocab", words.toString()).failsWithOneLine(words + " is not a CLIP merges file");
        Path binary = Files.write(dir.resolve("photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
        CliRun.run("tokenize", "--vocab", binary.toString()).failsWithOneLine(binary + " line 1 is not a merge");

        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        CliRun.run("captions\n".getBytes(StandardCharsets.UTF_8), "tokenizer", "train", "--vocab-size", "600",
                "-o", aFile.resolve("merges.txt.gz").toString()).failsWithOneLine(aFile.toString());

        CliRun.run("preprocess", missing.toString(), dir.resolve("out.png").toString())
                .failsWithOneLine("no such file or folder: " + missing);
        CliRun.run("model", "info", "--config", "vit-nope").failsWithOneLine("Unknown CLIP preset 'vit-nope'");
        Path badConfig = Files.writeString(dir.resolve("config.json"), "{not json");
        CliRun.run("model", "info", "--config", badConfig.toString()).failsWithOneLine("model info: ");
        CliRun.run("embed", "--weights", missing.toString(), "--text", "a dog").failsWithOneLine(missing.toString());
    }

    @Test
    void kafkaCommandsSayTheBrokerIsNotThere(@TempDir Path dir) {
        String unreachable = "cannot reach Kafka at " + NO_BROKER + " within 1 s";
        CliRun.run("checkpoints", "list", "-b", NO_BROKER, "--kafka-timeout", "PT1S").failsWithOneLine(unreachable);
        CliRun.run("checkpoints", "show", "7", "-b", NO_BROKER, "--kafka-timeout", "PT1S").failsWithOneLine(unreachable);
        CliRun.run("classifications", "subscribe", "-b", NO_BROKER, "--kafka-timeout", "PT1S").failsWithOneLine(unreachable);
        CliRun.run("rollout", "7", "-b", NO_BROKER, "--kafka-timeout", "PT1S")
                .failsWithOneLine("Refusing to roll out 7: cannot read the checkpoints: " + unreachable);
        CliRun.run("checkpoints", "list", "-b", "not a host:port").failsWithOneLine("checkpoints list: Kafka setting");
    }

    @Test
    void labelSetsSayWhatIsWrongWithTheFileOrTheService(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("pets.json");
        CliRun.run("label-sets", "put", missing.toString(), "--url", "http://127.0.0.1:1")
                .failsWithOneLine("cannot read " + missing + ": no such file or folder");
        Path latin1 = Files.write(dir.resolve("latin1.json"), "{\"labels\": [\"caf\u00e9\"]}".getBytes(StandardCharsets.ISO_8859_1));
        CliRun.run("label-sets", "put", latin1.toString(), "--url", "http://127.0.0.1:1")
                .failsWithOneLine("cannot read " + latin1 + ": a file is not valid UTF-8 text");
        CliRun.run("label-sets", "list", "--url", "http://127.0.0.1:1").failsWithOneLine("cannot reach the classifier");
        CliRun.run("label-sets", "list", "--url", "not a url").failsWithOneLine("label-sets list: ");
    }

    @Test
    void localCommandsSayWhatIsWrong(@TempDir Path home) throws Exception {
        CliRun.run("local", "status", "--home", home.toString()).assertNoStackTrace();
        Files.createDirectories(home.resolve(".clipstream"));
        Files.write(home.resolve(".clipstream/local.properties"), new byte[] {'r', 'u', 'n', '=', '\\', 'u', 'z'});
        CliRun.run("local", "status", "--home", home.toString()).failsWithOneLine("local.properties");
    }
}
