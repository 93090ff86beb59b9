package io.clipstream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    private static final Path FIXTURES = Path.of(System.getProperty("clipstream.fixtures"));

    @Test
    void measuresEachBatchAndEndsWithOneMachineReadableLine(@TempDir Path images) throws IOException {
        Files.copy(FIXTURES.resolve("preprocess/chelsea.png"), images.resolve("chelsea.png"));
        Files.writeString(images.resolve("notes.txt"), "not an image");

        CliRun.Result result = CliRun.run("bench", "--config", "tiny", "--precision", "bf16", "--batch", "1,2",
                "--images", images.toString(), "--seconds", "0.05").assertNoStackTrace();

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.err().contains("bench: image tower, batch 2 ..."), "progress on stderr: " + result);
        assertTrue(result.err().contains("skipping notes.txt"), result.toString());
        List<String> lines = result.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        Map<String, String> figures = new HashMap<>();
        for (String pair : last.substring("bench: ".length()).split(" ")) {
            String[] kv = pair.split("=", 2);
            figures.put(kv[0], kv[1]);
        }
        assertEquals("tiny", figures.get("config"));
        assertEquals("bf16", figures.get("precision"));
        assertEquals("2", figures.get("batch"), "the largest batch: " + last);
        for (String key : List.of("images_per_s", "texts_per_s", "preprocess_per_s", "matmul_gflops", "mfu")) {
            assertTrue(Double.parseDouble(figures.get(key)) > 0, key + " in " + last);
        }
    }

    @Test
    void refusesFp16OnTheCpuAndUnknownPresetsInOneLine() {
        CliRun.run("bench", "--config", "tiny", "--precision", "fp16", "--batch", "1")
                .failsWithOneLine("Precision fp16 runs only on a GPU");
        CliRun.run("bench", "--config", "vit-z-99").failsWithOneLine("Unknown CLIP preset 'vit-z-99'");
        CliRun.run("bench", "--precision", "int8").failsWithOneLine("Unknown precision 'int8'");
    }

    @Test
    void refusesThroughKafkaWithoutThePackagedEmbedderBeforeMeasuring(@TempDir Path emptyCheckout) {
        CliRun.Result result = CliRun.run("bench", "--config", "tiny", "--batch", "1", "--through-kafka", "--home",
                emptyCheckout.toString()).failsWithOneLine("--through-kafka needs the packaged broker and embedder");
        assertTrue(result.err().contains("the embedder service (embedder/target/quarkus-app/quarkus-run.jar)")
                && result.err().contains("the broker"), result.toString());
        assertFalse(result.err().contains("matmul"), "nothing measured: " + result);
        CliRun.run("bench", "--config", "tiny", "--home", emptyCheckout.toString())
                .failsWithOneLine("--home names the checkout --through-kafka runs");
    }

    @Test
    void saysInOneLineWhenItsBrokerDoesNotStart(@TempDir Path checkout) throws IOException {
        // A checkout whose broker classpath lacks the broker: its JVM exits at once.
        Files.createDirectories(checkout.resolve("broker/target/classes"));
        Files.writeString(checkout.resolve("broker/target/broker.classpath"), checkout.resolve("nothing.jar").toString());
        Path embedder = checkout.resolve("embedder/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(embedder.getParent());
        Files.write(embedder, new byte[0]);

        CliRun.Result result = CliRun.run("bench", "--config", "tiny", "--batch", "1", "--seconds", "0.01",
                "--through-kafka", "--home", checkout.toString()).failsWithOneLine("kafka exited with code");
        assertTrue(result.err().contains("kafka.log"), "says where the broker's log is: " + result);
    }
}
