package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.local.ServiceSettings;
import io.clipstream.model.ClipConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything the demo assumes about the services, in one place: the settings they are started with, the files the
 * demo shares with them in the run folder, and the HTTP paths it calls. The services are being finished beside the
 * demo; when a name changes there, it changes here and nowhere else.
 */
final class ServiceWiring {

    static final String INGEST = "ingest";
    static final String TRAINER = "trainer";
    static final String CLASSIFIER = "classifier";
    static final String SEARCH = "search";

    /** The key in the rollout file: the same key as the Kubernetes rollout manifest (deploy/k8s/base/rollout.env). */
    static final String ROLLOUT_KEY = "CLIPSTREAM_MODEL_CHECKPOINT";

    /** Ingest normalises pairs to the size the trainer trains at: resampled once, as the images classified later. */
    static final String INGEST_TRAINING_SIZE = "clipstream.ingest.training-size";
    static final String TRAINER_PRESET = "clipstream.trainer.preset";
    static final String TOKENIZER_BOOTSTRAP_CAPTIONS = "clipstream.trainer.tokenizer.bootstrap-captions";
    static final String TOKENIZER_VOCAB_SIZE = "clipstream.trainer.tokenizer.vocab-size";
    static final String CHECKPOINT_EVERY_STEPS = "clipstream.trainer.checkpoint.every-steps";
    static final String LEARNING_RATE = "clipstream.trainer.optimizer.learning-rate";
    static final String WARMUP_STEPS = "clipstream.trainer.optimizer.warmup-steps";
    /** A run with a known budget anneals to it: cosine to zero at the demo's last step. */
    static final String SCHEDULE = "clipstream.trainer.optimizer.schedule";
    static final String TOTAL_STEPS = "clipstream.trainer.optimizer.total-steps";
    static final String BATCH_SIZE = "clipstream.trainer.batch.size";
    /** The demo's corpus is small and finite: once it is read, the trainer makes passes over its replay reservoir. */
    static final String REHEARSE_WHEN_IDLE = "clipstream.trainer.batch.rehearse-when-idle";
    /**
     * The reservoir holds every pair of the corpus: once the stream is read, rehearsal samples only from it, and the
     * service's 4096 would leave a quarter of the demo's 5,623 pairs trained on once (about 70 MB at 64 px).
     */
    static final String REPLAY_CAPACITY = "clipstream.trainer.batch.replay-capacity";
    static final int DEFAULT_REPLAY_CAPACITY = 4096;
    /** Rehearsal starts this long after the last pair arrives; ingest pauses between its batches are shorter. */
    static final String IDLE_FLUSH = "clipstream.trainer.batch.idle-flush";

    /** The trainer's zero-shot suite named {@value #VALIDATION_SUITE}: the classified style, other concepts. */
    static final String VALIDATION_SUITE = "validation";
    static final String VALIDATION_INDEX = "clipstream.trainer.zero-shot." + VALIDATION_SUITE + ".index";
    static final String VALIDATION_TEMPLATES = "clipstream.trainer.zero-shot." + VALIDATION_SUITE + ".templates";
    static final String VALIDATION_FILE = "zero-shot-validation.jsonl";
    /**
     * Captions drawn per step from the name, the name with its keywords, and sentences around the name (the trainer's
     * own templates, not the evaluation's): the text tower learns to read a name inside a phrase, so templates and
     * their ensembles can help as in the paper.
     */
    static final String CAPTION_MIX = "clipstream.trainer.caption-mix.enabled";
    /**
     * Half the captions a sentence, a quarter the name, a quarter the name with keywords (the mix's default is a third
     * each): more sentences teach the text tower to read a name inside one. Measured (2000 steps, bf16, augmentation,
     * 5 draws of 100 labels): the six-prompt ensemble 0.322 ± 0.029 with thirds, 0.350 ± 0.029 with half sentences.
     */
    static final String NAME_SHARE = "clipstream.trainer.caption-mix.name-share";
    static final String KEYWORDS_SHARE = "clipstream.trainer.caption-mix.keywords-share";
    static final String TEMPLATE_SHARE = "clipstream.trainer.caption-mix.template-share";
    /**
     * Each pass over a pair sees another crop and colouring of its image: without it the tiny model learns each
     * drawing by heart (train loss 1.30, zero-shot on the held-out style flat at 0.10 from step 200 to 800); with it,
     * the held-out style's top-1 rose from 0.166 to 0.194 at 800 steps and kept climbing.
     */
    static final String AUGMENTATION = "clipstream.trainer.augmentation.enabled";
    /** bf16 compute with fp32 master weights (trainer/README.md), where the CPU has it: see {@link TrainingPrecision}. */
    static final String TRAINER_PRECISION = "clipstream.trainer.precision";
    static final String LOSS_TOLERANCE = "clipstream.trainer.guardrail.loss-tolerance";
    /**
     * The tiny model, trained in passes over a few thousand pairs, grows overconfident: its held-out loss rises while
     * held-out recall and zero-shot accuracy hold or climb (measured, 400 steps: eval_loss 1.63 at step 100, 1.98 at
     * 400, recall@5 0.80 → 0.87). The guardrail's item-by-item tests on those stay as they are; the loss may rise by
     * half before a checkpoint is held back.
     */
    static final String DEMO_LOSS_TOLERANCE = "0.5";

    static final String TRAINER_STATUS_PATH = "/trainer/status";
    static final String TRAINER_PAUSE_PATH = "/trainer/pause";
    static final String SEARCH_PATH = "/search";
    static final String SEARCH_VERSIONS_PATH = "/search/versions";

    /** Checkpoints per run, for the learning curve. */
    static final int CURVE_POINTS = 4;
    /** A model small enough to train from scratch on two CPU cores in minutes. */
    static final String PRESET = "tiny";
    /** A vocabulary for a few thousand short captions; CLIP's 49,408 would mostly go unused. */
    static final int VOCAB_SIZE = 2000;
    /**
     * Four times the service's default: more negatives per step at about the same pairs per second (measured, bf16:
     * 615 pairs/s at 64, 666 at 128). In the same time, 1000 steps of 128 scored top-1 0.314–0.374 on the held-out
     * style (four runs, mean 0.349) against 0.336–0.350 for 2000 steps of 64.
     */
    static final int BATCH = 128;
    /** Twice the service's default, for a short run from scratch (as the model's emoji experiment). */
    static final String PEAK_LEARNING_RATE = "1e-3";
    /** The trainer learns its tokenizer from the first captions it reads: enough for a vocabulary, not all. */
    static final int MAX_BOOTSTRAP_CAPTIONS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runDirectory;
    private final TrainingPrecision precision;

    ServiceWiring(Path runDirectory, TrainingPrecision precision) {
        this.runDirectory = runDirectory.toAbsolutePath();
        this.precision = precision;
    }

    Path runDirectory() {
        return runDirectory;
    }

    Path checkpointStore() {
        return LocalStack.checkpointStore(runDirectory);
    }

    String checkpointStoreUri() {
        return checkpointStore().toUri().toString();
    }

    Path rolloutFile() {
        return LocalStack.rolloutFile(runDirectory);
    }

    /**
     * The services' settings for a run that trains for {@code steps} on {@code trainPairs} pairs. The trainer writes
     * a checkpoint every {@link #checkpointInterval}: the one at {@code steps} is the demo's.
     */
    ServiceSettings settings(int steps, int trainPairs) {
        return settings(steps, trainPairs, null, List.of());
    }

    /**
     * As {@link #settings(int, int)}, with a zero-shot suite ({@code validationIndex}, prompted with
     * {@code templates}) evaluated with every checkpoint: the learning curve's zero-shot line, and what the guardrail
     * judges on beside the held-out pairs.
     */
    ServiceSettings settings(int steps, int trainPairs, Path validationIndex, List<String> templates) {
        Map<String, String> trainer = new LinkedHashMap<>(Map.ofEntries(
                        Map.entry(TRAINER_PRESET, PRESET),
                        Map.entry(TOKENIZER_BOOTSTRAP_CAPTIONS, Integer.toString(bootstrapCaptions(trainPairs))),
                        Map.entry(TOKENIZER_VOCAB_SIZE, Integer.toString(VOCAB_SIZE)),
                        Map.entry(CHECKPOINT_EVERY_STEPS, Integer.toString(checkpointInterval(steps))),
                        Map.entry(LEARNING_RATE, PEAK_LEARNING_RATE),
                        Map.entry(WARMUP_STEPS, Integer.toString(warmupSteps(steps))),
                        Map.entry(SCHEDULE, "cosine"),
                        Map.entry(TOTAL_STEPS, Integer.toString(steps)),
                        Map.entry(BATCH_SIZE, Integer.toString(BATCH)),
                        Map.entry(REHEARSE_WHEN_IDLE, "true"),
                        Map.entry(REPLAY_CAPACITY, Integer.toString(Math.max(DEFAULT_REPLAY_CAPACITY, trainPairs))),
                        Map.entry(IDLE_FLUSH, "PT3S"),
                        Map.entry(LOSS_TOLERANCE, DEMO_LOSS_TOLERANCE),
                        Map.entry(CAPTION_MIX, "true"),
                        Map.entry(NAME_SHARE, "0.25"),
                        Map.entry(KEYWORDS_SHARE, "0.25"),
                        Map.entry(TEMPLATE_SHARE, "0.5"),
                        Map.entry(AUGMENTATION, "true"),
                        Map.entry(TRAINER_PRECISION, precision.precision().label())));
        if (validationIndex != null) {
            trainer.put(VALIDATION_INDEX, validationIndex.toString());
            // SmallRye splits lists at commas; a template with one is escaped.
            trainer.put(VALIDATION_TEMPLATES, templates.stream().map(t -> t.replace(",", "\\,"))
                    .collect(Collectors.joining(",")));
        }
        return new ServiceSettings(Map.of(
                TRAINER, Map.copyOf(trainer),
                INGEST, Map.of(
                        INGEST_TRAINING_SIZE, Integer.toString(ClipConfig.preset(PRESET).imageSize()))));
    }

    /**
     * A checkpoint at each quarter of the budget, so the learning curve has points to draw (each costs one
     * evaluation, a few seconds on the tiny preset); one at the end when the budget does not split into quarters.
     */
    static int checkpointInterval(int steps) {
        return steps >= 40 && steps % CURVE_POINTS == 0 ? steps / CURVE_POINTS : steps;
    }

    /** Writes the validation suite's index ({@code {"file", "label"}} per line, absolute paths) into the run folder. */
    Path writeValidationSuite(List<DemoPlan.TestImage> images) throws IOException {
        List<String> lines = new ArrayList<>();
        for (DemoPlan.TestImage image : images) {
            lines.add("{\"file\": " + JSON.writeValueAsString(image.file().toAbsolutePath().toString())
                    + ", \"label\": " + JSON.writeValueAsString(image.trueLabel()) + "}");
        }
        Files.createDirectories(runDirectory);
        return Files.write(runDirectory.resolve(VALIDATION_FILE), lines, StandardCharsets.UTF_8);
    }

    static int warmupSteps(int steps) {
        return Math.max(1, steps / 20);
    }

    /**
     * How many captions the trainer waits for before it learns its tokenizer: at most 90% of the pairs published,
     * because ingest may reject a few (duplicates, say) and a trainer waiting for captions that never come would
     * never start.
     */
    static int bootstrapCaptions(int trainPairs) {
        return Math.max(1, Math.min(MAX_BOOTSTRAP_CAPTIONS, trainPairs * 9 / 10));
    }
}
