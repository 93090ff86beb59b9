package io.clipstream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipstream.cli.CliRun;
import io.clipstream.cli.local.Installation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --through-kafka} with the packaged broker and embedder: the embedder serves the bench's tiny model
 * from a temporary store, and the last line carries the figures through Kafka beside the bare ones.
 */
class BenchThroughKafkaEndToEndTest {

    @Test
    void measuresThePackagedEmbedderThroughItsOwnBroker() {
        Installation installation = Installation.locate(null);
        assumeTrue(installation.missingBuildOutputs(List.of(ThroughKafka.EMBEDDER)).isEmpty(),
                "the broker and embedder are not packaged (run ./mvnw -DskipTests package): "
                        + installation.missingBuildOutputs(List.of(ThroughKafka.EMBEDDER)));

        CliRun.Result result = CliRun.run("bench", "--config", "tiny", "--batch", "4", "--seconds", "0.2",
                "--through-kafka").assertNoStackTrace();
        System.out.println(result);

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.err().contains("bench: through Kafka, batch 4: burst of"), "progress on stderr: " + result);
        List<String> lines = result.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        Map<String, String> figures = new HashMap<>();
        for (String pair : last.substring("bench: ".length()).split(" ")) {
            String[] kv = pair.split("=", 2);
            figures.put(kv[0], kv[1]);
        }
        assertEquals("4", figures.get("batch"), last);
        for (String key : List.of("images_per_s", "kafka_images_per_s", "kafka_ratio", "p50_ms", "p99_ms")) {
            assertTrue(Double.parseDouble(figures.get(key)) > 0, key + " in " + last);
        }
        assertTrue(Double.parseDouble(figures.get("p99_ms")) >= Double.parseDouble(figures.get("p50_ms")), last);
    }
}
