package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.local.ServiceSettings;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.FileArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings the services are started with, and the rollout file the embedder watches. */
class DemoWiringTest {

    @TempDir
    Path run;

    /** The wiring of a run on a CPU without native bf16: the same on every machine the tests run on. */
    private ServiceWiring wiring() {
        return new ServiceWiring(run, new TrainingPrecision(Precision.FP32, "no native bf16"));
    }

    /** The -D settings a service of the demo's stack is started with. */
    private Map<String, String> started(String service) {
        LocalStack stack = new LocalStack(new Installation(run), 9092, 8081, run, wiring().settings(600,
                1906));
        Map<String, String> properties = new HashMap<>();
        for (String arg : stack.serviceCommand(stack.service(service))) {
            if (arg.startsWith("-D")) {
                int equals = arg.indexOf('=');
                properties.put(arg.substring(2, equals), arg.substring(equals + 1));
            }
        }
        return properties;
    }

    @Test
    void everyModelServiceSharesOneStoreInTheRunFolder() {
        ServiceWiring wiring = wiring();
        ServiceSettings settings = wiring.settings(600, 1906);
        String store = started("trainer").get("clipstream.model.store");
        assertEquals(store, started("embedder").get("clipstream.model.store"));
        assertEquals(store, started("classifier").get("clipstream.model.store"));
        assertEquals(store, wiring.checkpointStoreUri(), "where the demo looks for the checkpoint to roll out");
        assertEquals(run.resolve("checkpoints"), ((FileArtifactStore) ArtifactStore.open(store)).root(),
                "the services open the URI as the run folder's checkpoints");
        assertEquals(Map.of("clipstream.ingest.training-size", "64"), settings.systemProperties("ingest"),
                "pairs normalised at the tiny model's size");
    }

    @Test
    void theTrainerTrainsATinyModelWithItsOwnTokenizerInPassesAndCheckpointsAtTheBudget() {
        Map<String, String> trainer = wiring().settings(600, 1906).systemProperties("trainer");
        assertEquals("tiny", trainer.get("clipstream.trainer.preset"));
        assertEquals("1000", trainer.get("clipstream.trainer.tokenizer.bootstrap-captions"));
        assertEquals("2000", trainer.get("clipstream.trainer.tokenizer.vocab-size"));
        assertEquals("150", trainer.get("clipstream.trainer.checkpoint.every-steps"),
                "four checkpoints for the learning curve, the last at the budget");
        assertEquals("128", trainer.get("clipstream.trainer.batch.size"));
        assertEquals("cosine", trainer.get("clipstream.trainer.optimizer.schedule"));
        assertEquals("600", trainer.get("clipstream.trainer.optimizer.total-steps"), "annealed to the budget");
        assertEquals("30", trainer.get("clipstream.trainer.optimizer.warmup-steps"));
        assertEquals("true", trainer.get("clipstream.trainer.batch.rehearse-when-idle"),
                "a finite corpus is learnt in passes over the reservoir, not seen once");
        assertEquals("4096", trainer.get("clipstream.trainer.batch.replay-capacity"), "at least the service's");
        assertEquals("5623", wiring().settings(600, 5623).systemProperties("trainer")
                .get("clipstream.trainer.batch.replay-capacity"), "every pair of a larger corpus is rehearsed");
    }

    @Test
    void theTrainerJudgesEveryCheckpointOnTheValidationSuite() throws IOException {
        ServiceWiring wiring = wiring();
        DemoPlan.TestImage image = new DemoPlan.TestImage("1f600", run.resolve("twitter/1f600.png"), "grinning face");
        java.nio.file.Path index = wiring.writeValidationSuite(List.of(image));
        assertEquals(List.of("{\"file\": \"" + run.resolve("twitter/1f600.png").toAbsolutePath()
                + "\", \"label\": \"grinning face\"}"), java.nio.file.Files.readAllLines(index));
        Map<String, String> trainer = wiring.settings(400, 1906, index, List.of("{}", "an emoji of {}, drawn"))
                .systemProperties("trainer");
        assertEquals(index.toString(), trainer.get("clipstream.trainer.zero-shot.validation.index"));
        assertEquals("{},an emoji of {}\\, drawn", trainer.get("clipstream.trainer.zero-shot.validation.templates"));
        assertEquals("100", trainer.get("clipstream.trainer.checkpoint.every-steps"));
        assertEquals("0.5", trainer.get("clipstream.trainer.guardrail.loss-tolerance"));
        assertEquals("true", trainer.get("clipstream.trainer.caption-mix.enabled"), "captions teach phrasing");
        assertEquals("true", trainer.get("clipstream.trainer.augmentation.enabled"), "images teach looks");
        assertEquals("0.5", trainer.get("clipstream.trainer.caption-mix.template-share"), "half the captions sentences");
    }

    @Test
    void theTrainerTrainsInThePrecisionChosenForTheCpu() {
        TrainingPrecision bf16 = new TrainingPrecision(Precision.BF16, "the CPU has amx_bf16");
        assertEquals("bf16", new ServiceWiring(run, bf16).settings(600, 1906).systemProperties("trainer")
                .get("clipstream.trainer.precision"));
        TrainingPrecision fp32 = new TrainingPrecision(Precision.FP32, "no bf16");
        assertEquals("fp32", new ServiceWiring(run, fp32).settings(600, 1906).systemProperties("trainer")
                .get("clipstream.trainer.precision"));
    }

    @Test
    void theEmbedderWatchesTheRolloutFileAndIsReadyOnlyAfterARollout() {
        assertEquals(run.resolve("rollout.env"), wiring().rolloutFile());
        assertEquals(run.resolve("rollout.env").toString(), started("embedder").get("clipstream.model.checkpoint-file"));
        assertEquals("embedder", LocalStack.READY_AFTER_ROLLOUT);
        assertEquals(run.resolve("rollout.env").toString(),
                started("classifier").get("clipstream.model.checkpoint-file"),
                "the classifier preloads what is rolled out");
    }

    @Test
    void theTokenizerWaitsForNoMoreCaptionsThanIngestWillSurelyPass() {
        assertEquals(1000, ServiceWiring.bootstrapCaptions(1906));
        assertEquals(90, ServiceWiring.bootstrapCaptions(100));
        assertEquals(1, ServiceWiring.bootstrapCaptions(1));
    }

    @Test
    void aRolloutReplacesTheFileWithOneLine() throws IOException {
        Path file = run.resolve("rollout.env");
        RolloutFile.write(file, "3");
        assertEquals("CLIPSTREAM_MODEL_CHECKPOINT=3\n", Files.readString(file));
        RolloutFile.write(file, "2024-06-01.4");
        assertEquals("CLIPSTREAM_MODEL_CHECKPOINT=2024-06-01.4\n", Files.readString(file));
        assertFalse(Files.exists(run.resolve("rollout.env.next")));
    }

    @Test
    void aVersionThatWouldBreakTheFileIsRefused() throws IOException {
        Path file = run.resolve("rollout.env");
        RolloutFile.write(file, "3");
        assertThrows(IllegalArgumentException.class, () -> RolloutFile.write(file, "4\nOTHER=1"));
        assertThrows(IllegalArgumentException.class, () -> RolloutFile.write(file, " "));
        assertEquals("CLIPSTREAM_MODEL_CHECKPOINT=3\n", Files.readString(file), "left as it was");
    }
}
