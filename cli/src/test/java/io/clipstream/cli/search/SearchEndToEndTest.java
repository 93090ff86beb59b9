package io.clipstream.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.CliRun;
import io.clipstream.cli.local.FreePorts;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.local.ServiceSettings;
import io.clipstream.model.image.ImageWriter;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.model.train.TinyClipTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when", with the packaged services: images published with {@code clipstream images publish} go
 * through the embedder onto the embedding stream, into search's index, and {@code clipstream search} finds them by
 * text — the cat/dog CLIP rolled out, cats for "a photo of a cat." and dogs for "a photo of a dog.".
 */
class SearchEndToEndTest {

    private static final int PER_CLASS = 4;
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void publishedImagesAreFoundByTextThroughTheRunningServices(@TempDir Path temp) throws Exception {
        Installation installation = Installation.locate(null);
        assumeTrue(installation.missingBuildOutputs().isEmpty(), "the services are not packaged (run ./mvnw verify): "
                + installation.missingBuildOutputs());
        Path run = LocalStack.newRunDirectory(installation).resolveSibling("run-search-e2e-" + System.nanoTime());
        Files.createDirectories(run);
        StoredCheckpoints.publishCopy(ArtifactStore.open(LocalStack.checkpointStore(run).toString()),
                TinyClipTraining.checkpoint());
        Files.writeString(LocalStack.rolloutFile(run), "CLIPSTREAM_MODEL_CHECKPOINT=" + TinyClipTraining.VERSION + "\n");

        Random random = new Random(3);
        for (String cls : TinyClipTraining.CLASSES) {
            Path folder = Files.createDirectories(temp.resolve(cls));
            for (int i = 0; i < PER_CLASS; i++) {
                ImageWriter.writePng(TinyClipTraining.picture(cls, random), folder.resolve(cls + "-" + i + ".png"));
            }
        }

        // The trainer resumes from the newest version of its store that verifies as its own; the published copy has
        // no trainer state, so the trainer writes elsewhere and trains nothing here.
        Path trainerStore = Files.createDirectories(run.resolve("trainer-checkpoints"));
        ServiceSettings settings = new ServiceSettings(Map.of("trainer",
                Map.of("clipstream.model.store", trainerStore.toUri().toString())));
        LocalStack stack = new LocalStack(installation, FreePorts.consecutive(2),
                FreePorts.consecutive(Installation.portSpan()), run, settings);
        try {
            stack.start(240, (component, message) -> System.out.println(component + ": " + message));
            stack.awaitReady(LocalStack.READY_AFTER_ROLLOUT, 240);
            for (String cls : TinyClipTraining.CLASSES) {
                CliRun.Result published = CliRun.run("images", "publish", temp.resolve(cls).toString(), "-a",
                        "class=" + cls, "-b", stack.bootstrapServers());
                assertEquals(0, published.code(), published.toString());
            }
            String url = stack.service(LocalStack.SEARCH).baseUrl();
            JsonNode all = awaitResults(url, stack.operatorToken(), 2 * PER_CLASS);
            assertEquals(TinyClipTraining.VERSION, all.path("modelVersion").asText(), "the rolled-out version answered");

            for (String cls : TinyClipTraining.CLASSES) {
                CliRun.Result found = CliRun.run("search", TinyClipTraining.TEMPLATE.replace("{}", cls), "-k", "3",
                        "--url", url, "--token", stack.operatorToken(), "--json");
                assertEquals(0, found.code(), found.toString());
                List<String> ids = new ArrayList<>();
                json.readTree(found.out()).path("results").forEach(r -> ids.add(r.path("imageId").asText()));
                assertEquals(3, ids.size(), found.toString());
                assertTrue(ids.stream().allMatch(id -> id.startsWith(cls + "-")), cls + ": " + ids);
            }
            CliRun.Result printed = CliRun.run("search", "a photo of a cat.", "-k", "2", "-f", "class=cat",
                    "--url", url, "--token", stack.operatorToken());
            assertEquals(0, printed.code(), printed.toString());
            assertTrue(printed.out().startsWith("2 image(s), model version " + TinyClipTraining.VERSION), printed.out());
            assertTrue(printed.out().contains("class=cat"), printed.out());
        } finally {
            stack.stop();
        }
    }

    /** Searches until {@code expected} images are indexed (the embedder and search take their time). */
    private JsonNode awaitResults(String url, String token, int expected) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        CliRun.Result last = null;
        while (System.nanoTime() < deadline) {
            last = CliRun.run("search", "a photo of a cat.", "-k", "100", "--url", url, "--token", token, "--json");
            if (last.code() == 0 && json.readTree(last.out()).path("results").size() >= expected) {
                return json.readTree(last.out());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not all " + expected + " images were found in time; last: " + last);
    }
}
