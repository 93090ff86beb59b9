package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local stack started with per-service settings (as {@code clipstream demo} starts one). */
class DemoStackSettingsTest {

    @Test
    void eachServiceGetsItsOwnSystemPropertiesBeforeTheJar(@TempDir Path home) {
        Path run = home.resolve(".clipstream/run-x");
        LocalStack stack = new LocalStack(new Installation(home), 19092, 18081, run, new ServiceSettings(
                Map.of("trainer", Map.of("clipstream.trainer.preset", "tiny", "clipstream.model.store", "file:/s"))));

        List<String> trainer = stack.serviceCommand(stack.service("trainer"));
        int jar = trainer.indexOf("-jar");
        assertEquals(List.of("-Dclipstream.model.store=file:/s",
                "-Dclipstream.trainer.checkpoint.retention.rollout-files=" + run.resolve("rollout.env"),
                "-Dclipstream.trainer.preset=tiny", "-Dkafka-streams.state.dir=" + run.resolve("state/trainer")),
                trainer.subList(jar - 4, jar),
                "sorted, before -jar so that the JVM reads them; the run's settings win");
        assertTrue(trainer.contains("-Dquarkus.http.port=18082"));
        assertEquals(home.resolve("trainer/target/quarkus-app/quarkus-run.jar").toString(), trainer.get(jar + 1));

        List<String> ingest = stack.serviceCommand(stack.service("ingest"));
        assertTrue(ingest.contains("-Dkafka-streams.state.dir=" + run.resolve("state/ingest")),
                "a fresh broker per run, so fresh Kafka Streams state too: " + ingest);
        assertTrue(ingest.contains("-Dclipstream.model.store=" + run.resolve("checkpoints").toUri()), ingest.toString());
        assertTrue(ingest.stream().noneMatch(arg -> arg.startsWith("-Dclipstream.model.checkpoint-file")),
                "ingest serves no model");
        assertEquals(run, stack.runDirectory());
    }

    @Test
    void withoutSettingsTheRunFolderHoldsStateStoreAndRolloutFile(@TempDir Path home) {
        LocalStack stack = new LocalStack(new Installation(home), 9092, 8081);
        Path run = stack.runDirectory();
        List<String> command = stack.serviceCommand(stack.service("classifier"));
        assertEquals(List.of("-Xmx1536m", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dquarkus.http.port=8084", "-Dquarkus.http.host=127.0.0.1"), command.subList(1, 6));
        assertEquals(List.of("-Dclipstream.auth.tokens-file=" + run.resolve("tokens"),
                "-Dclipstream.model.checkpoint-file=" + run.resolve("rollout.env"),
                "-Dclipstream.model.store=" + run.resolve("checkpoints").toUri(),
                "-Dkafka-streams.state.dir=" + run.resolve("state/classifier"), "-jar"),
                command.subList(6, 11), "only what lives in the run folder");
        assertTrue(stack.serviceCommand(stack.service("embedder"))
                .contains("-Dclipstream.model.checkpoint-file=" + run.resolve("rollout.env")));
        assertTrue(run.getFileName().toString().startsWith("run-"));
    }
}
