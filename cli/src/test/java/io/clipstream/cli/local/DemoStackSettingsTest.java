package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local stack started with per-service settings (as {@code clipstream demo} starts one). */
class DemoStackSettingsTest {

    @Test
    void eachServiceGetsItsOwnSystemPropertiesBeforeTheJar(@TempDir Path home) {
        Path run = home.resolve(".clipstream/run-x");
        LocalStack stack = new LocalStack(new Installation(home), 19092, 18081, run, new ServiceSettings(
                Map.of("trainer", Map.of("clipstream.trainer.preset", "tiny", "clipstream.model.store", "file:/s")),
                Set.of("embedder")));

        List<String> trainer = stack.serviceCommand(stack.service("trainer"));
        int jar = trainer.indexOf("-jar");
        assertEquals(List.of("-Dclipstream.model.store=file:/s", "-Dclipstream.trainer.preset=tiny"),
                trainer.subList(jar - 2, jar), "sorted, before -jar so that the JVM reads them");
        assertTrue(trainer.contains("-Dquarkus.http.port=18082"));
        assertEquals(home.resolve("trainer/target/quarkus-app/quarkus-run.jar").toString(), trainer.get(jar + 1));

        List<String> ingest = stack.serviceCommand(stack.service("ingest"));
        assertFalse(ingest.stream().anyMatch(arg -> arg.startsWith("-Dclipstream.")), ingest.toString());
        assertEquals(run, stack.runDirectory());
    }

    @Test
    void withoutSettingsTheCommandIsAsBefore(@TempDir Path home) {
        LocalStack stack = new LocalStack(new Installation(home), 9092, 8081);
        List<String> command = stack.serviceCommand(stack.service("classifier"));
        assertEquals(List.of("-Xmx1536m", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dquarkus.http.port=8084", "-jar"), command.subList(1, 6));
        assertTrue(stack.runDirectory().getFileName().toString().startsWith("run-"));
    }
}
