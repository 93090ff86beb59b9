package io.clipstream.cli.demo;

import io.clipstream.cli.checkpoints.CheckpointLog;
import io.clipstream.cli.checkpoints.LearningCurve;
import io.clipstream.cli.checkpoints.LearningCurveChart;
import io.clipstream.cli.demo.DemoSummary.ClassifiedImage;
import io.clipstream.cli.demo.DemoSummary.ImageCounts;
import io.clipstream.cli.demo.DemoSummary.PairCounts;
import io.clipstream.cli.demo.DemoSummary.Training;
import io.clipstream.cli.demo.EmojiCorpus.Concept;
import io.clipstream.cli.demo.EmojiCorpus.Drawing;
import io.clipstream.cli.kafka.ImagePublisher;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.cli.kafka.Thumbnails;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.pairs.PairPublisher;
import io.clipstream.cli.pairs.PairSource;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One run of {@code clipstream demo}, phase by phase: obtain the corpus, start the platform, register the label
 * set, publish one style's pairs, let the trainer train and announce a checkpoint, roll it out, publish the other
 * style's images, score the classifications as they arrive and find the images again by text through the search
 * service. What the run assumes about the services is in
 * {@link ServiceWiring}; this class only orders the phases.
 */
final class DemoRun {

    static final String LABEL_SET_ID = "demo";
    /** The one template compared with the label alone and the ensemble, unless --template names another. */
    static final String LABEL_TEMPLATE = "an emoji of {}.";

    private static final Duration POLL = Duration.ofSeconds(1);
    /** Search indexes beside the classifier, in batches: the last images may come a few seconds after. */
    private static final Duration SEARCH_INDEX_WAIT = Duration.ofSeconds(60);
    private static final AvroSerde<Checkpoint> CHECKPOINTS = AvroSerde.of(Checkpoint.class);

    /**
     * @param dataset            a corpus folder, or {@code null} for the emoji corpus in the cache
     * @param heldOutStyle       the style classified, {@code null} for {@value EmojiCorpus#TEST_STYLE}
     * @param trainPairs         at most this many training pairs, or {@code null} for all
     * @param draws              draws of labels the accuracy is averaged over
     * @param precision          what the trainer computes in, chosen for the CPU
     * @param template           the single prompt template compared, or {@code null} for {@value #LABEL_TEMPLATE}
     * @param fullCaptions       train on the corpus's whole captions (label and keywords) rather than on each
     *                           drawing's name: a model this small learns whole captions by heart, and a prompt of
     *                           the label alone then lands between them (measured over 50 draws of 100 concepts,
     *                           400 steps: Twitter-style top-1 0.050 / top-5 0.199 against 0.082 / 0.263 with names)
     * @param imageRate          images published per second: a stream, so that latency is that of one image, not of
     *                           a queue of all of them
     * @param startTimeoutSeconds how long each component may take to start (and the embedder to load a checkpoint)
     * @param phaseTimeoutSeconds how long ingest, training and classification may each take
     */
    record Options(Path dataset, String heldOutStyle, int labels, int draws, Integer trainPairs, int steps,
            TrainingPrecision precision, long seed, String template,
            boolean fullCaptions, double imageRate, boolean keepRunning, int kafkaPort, int httpPort,
            long startTimeoutSeconds, long phaseTimeoutSeconds, Path home) {
    }

    private final Options options;
    private final DemoDisplay display;
    private JsonHttp http;
    /** The held-out style's name, or "training" when the corpus has one style. */
    private String classifiedStyle = "training";

    DemoRun(Options options, DemoDisplay display) {
        this.options = options;
        this.display = display;
    }

    /** Runs the demo; 0 when every image was classified, 1 when some were rejected or never came back. */
    int run() throws IOException, InterruptedException {
        if (options.steps() < 1) {
            throw new DemoFailure("--steps must be at least 1");
        }
        if (!(options.imageRate() > 0)) {
            throw new DemoFailure("--image-rate must be positive");
        }
        DemoPlan.checkChoices(options.labels(), options.trainPairs(), options.draws());
        List<PromptVariant> variants = PromptVariant.of(template());
        Installation installation = Installation.locate(options.home());
        // A missing build or busy ports are found before the corpus is downloaded, not after.
        new LocalStack(installation, options.kafkaPort(), options.httpPort()).checkPreconditions();

        EmojiCorpus corpus = corpus();
        classifiedStyle = corpus.heldOutStyle().orElse("training");
        DemoPlan plan = DemoPlan.of(corpus, options.labels(), options.trainPairs(), options.seed(), options.draws());
        display.line(String.format(Locale.ROOT, "      plan: %d labels; train on %d pairs; classify %d %s images "
                + "(seed %d)", plan.labels().size(), plan.trainPairs().size(), plan.testImages().size(),
                classifiedStyle, options.seed()));

        ServiceWiring wiring = new ServiceWiring(LocalStack.newRunDirectory(installation), options.precision());
        Path validation = plan.validationImages().isEmpty() ? null
                : wiring.writeValidationSuite(plan.validationImages());
        LocalStack stack = new LocalStack(installation, options.kafkaPort(), options.httpPort(),
                wiring.runDirectory(), wiring.settings(options.steps(), plan.trainPairs().size(), validation,
                        PromptVariant.ENSEMBLE_TEMPLATES));
        // Ctrl-C at any point stops what was started.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "clipstream-demo-stop"));

        DemoSummary summary;
        boolean succeeded = false;
        try {
            startPlatform(stack);
            KafkaOptions kafka = KafkaOptions.of(stack.bootstrapServers());
            registerLabelSets(stack, plan, variants);
            Published pairs = publishPairs(kafka, corpus, plan);
            Trained trained = train(stack, kafka, pairs);
            rollOut(stack, wiring, trained.checkpoint());
            summary = classify(stack, kafka, plan, trained, variants);
            plotLearningCurve(kafka, stack.runDirectory());
            summary = searchRecall(stack, summary);
            succeeded = true;
        } finally {
            if (!succeeded || !options.keepRunning()) {
                display.line("Stopping the platform; logs stay in " + stack.runDirectory());
                stack.stop();
            }
        }
        if (options.keepRunning()) {
            display.line("Left running: Kafka " + stack.bootstrapServers() + ", services from " + stack.services()
                    .get(0).baseUrl() + ", logs " + stack.runDirectory() + ". Ctrl-C stops everything.");
        }
        summary.lines().forEach(display::line);
        if (options.keepRunning()) {
            new CountDownLatch(1).await();
        }
        return summary.images().rejected() == 0 && summary.images().missing() == 0 ? 0 : 1;
    }

    private EmojiCorpus corpus() throws IOException {
        if (options.dataset() != null) {
            display.phase("corpus", options.dataset().toString());
            EmojiCorpus corpus = EmojiCorpus.open(options.dataset(), options.heldOutStyle());
            display.line("      " + corpus.describe());
            return corpus;
        }
        Path root = CorpusCache.defaultRoot(System.getenv(), System.getProperty("user.home"));
        display.phase("corpus", "emoji in several art styles (" + root.resolve(CorpusCache.FOLDER) + ")");
        EmojiCorpus corpus = EmojiCorpus.open(CorpusCache.obtain(root, NpmPackages.onPath(),
                message -> display.line("      " + message)), options.heldOutStyle());
        display.line("      " + corpus.describe());
        return corpus;
    }

    private void startPlatform(LocalStack stack) {
        display.phase("platform", "Kafka on " + stack.bootstrapServers() + " and the services; run folder "
                + stack.runDirectory());
        stack.start(options.startTimeoutSeconds(),
                (component, message) -> display.line(String.format("      %-10s %s", component, message)));
        http = new JsonHttp(stack.operatorToken());
        display.line("      operator token: " + stack.operatorTokenFile());
        display.line("      console: " + stack.consoleUrl("live.html") + "  (the live view fills as the images arrive)");
    }

    private String template() {
        return options.template() != null ? options.template() : LABEL_TEMPLATE;
    }

    /**
     * One label set per draw and prompt variant, registered before any image exists, so that the classifier holds
     * them when the first embedding comes.
     */
    private void registerLabelSets(LocalStack stack, DemoPlan plan, List<PromptVariant> variants) {
        display.phase("label sets", String.format(Locale.ROOT, "%d draws of %d labels × %d prompt variants (%s), "
                + "top %d", plan.draws().size(), plan.labels().size(), variants.size(), variants.stream()
                        .map(PromptVariant::describe).collect(Collectors.joining(", ")), DemoSummary.TOP_K));
        ClassifierClient classifier = new ClassifierClient(http, stack.service(ServiceWiring.CLASSIFIER).baseUrl());
        for (int d = 0; d < plan.draws().size(); d++) {
            for (PromptVariant variant : variants) {
                classifier.putLabelSet(DrawScores.labelSetId(d, variant), plan.draws().get(d), variant.templates(),
                        DemoSummary.TOP_K);
            }
        }
        display.line("      " + DrawScores.labelSetId(0, variants.getLast()) + ": " + plan.labels().stream().limit(8)
                .collect(Collectors.joining(", ")) + (plan.labels().size() > 8 ? ", …" : ""));
    }

    /** Publishes the training pairs; returns their ids as sent, for the ingest tally. */
    private Published publishPairs(KafkaOptions kafka, EmojiCorpus corpus, DemoPlan plan) {
        display.phase("pairs", plan.trainPairs().size() + " " + String.join(" + ", corpus.trainStyles())
                + " pairs to " + Topics.PAIRS_RAW);
        Progress progress = new Progress("pairs", plan.trainPairs().size(), display.stream());
        try (PairPublisher publisher = new PairPublisher(kafka.producerProperties("clipstream-demo-pairs"), progress)) {
            for (Drawing drawing : plan.trainPairs()) {
                Concept concept = drawing.concept();
                // The name and keywords ride along, for a trainer that mixes its captions from them.
                Map<String, String> attributes = new LinkedHashMap<>(Map.of("label", concept.label(),
                        "file", concept.file(), "style", drawing.style()));
                if (!concept.keywords().isEmpty()) {
                    attributes.put("keywords", concept.keywords());
                }
                publisher.publish(new PairSource.Entry(corpus.pairId(drawing), drawing.file(),
                        options.fullCaptions() ? concept.caption() : concept.label(), attributes, null));
            }
        }
        progress.finish();
        if (progress.sentCount() == 0) {
            throw new DemoFailure("No pair could be published");
        }
        return new Published(plan.trainPairs().stream().map(corpus::pairId).collect(Collectors.toSet()),
                progress.sentCount());
    }

    /** Pairs sent: their ids, and how many were acknowledged. */
    private record Published(Set<String> ids, long sent) {
    }

    /** What training produced: the checkpoint to roll out, and where the pairs went meanwhile. */
    private record Trained(Checkpoint checkpoint, PairCounts pairs) {
    }

    /**
     * Follows the trainer until it announces the checkpoint at the budget, and ingest meanwhile. Ingest is not waited
     * for: it drops exact duplicates (the emoji corpus has a few identical drawings), so "every pair accounted for"
     * may never come; the trainer reaching its budget is what the demo needs.
     */
    private Trained train(LocalStack stack, KafkaOptions kafka, Published pairs) {
        TrainingPrecision precision = options.precision();
        display.phase("training", String.format(Locale.ROOT, "%s model from scratch, %d steps of %d pairs in %s (%s), "
                + "images augmented; checkpoints announced on %s", ServiceWiring.PRESET, options.steps(),
                ServiceWiring.BATCH, precision.precision().label(), precision.reason(), Topics.CHECKPOINTS));
        TrainerClient trainer = new TrainerClient(http, stack.service(ServiceWiring.TRAINER).baseUrl());
        CheckpointWait wait = new CheckpointWait(options.steps());
        IngestTally ingest = new IngestTally(pairs.ids());
        long deadline = deadline(options.phaseTimeoutSeconds());
        try (TopicTail tail = new TopicTail(kafka.settings(),
                List.of(Topics.CHECKPOINTS, Topics.PAIRS_NORMALIZED, Topics.PAIRS_REJECTED))) {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : tail.poll(POLL)) {
                    if (!Topics.CHECKPOINTS.equals(record.topic())) {
                        ingest.accept(record.topic(), record.key(), record.value());
                        continue;
                    }
                    Checkpoint announced = CHECKPOINTS.decode(record.value());
                    if (announced == null) {
                        continue; // a tombstone: a version withdrawn
                    }
                    display.line(String.format(Locale.ROOT, "      checkpoint %s: step %d, %s, loss %s",
                            announced.getVersion(), announced.getStep(), announced.getStatus(),
                            format(CheckpointWait.loss(announced))));
                    Optional<CheckpointWait.Choice> chosen = wait.offer(announced);
                    if (chosen.isPresent()) {
                        if (chosen.get().fallback() != null) {
                            display.line("      " + chosen.get().fallback());
                        }
                        // The budget is spent (the learning rate annealed to zero): the cores go to serving.
                        trainer.pause();
                        display.line("      trainer paused: the budget is spent (POST /trainer/resume trains on)");
                        display.line("      ingest: " + ingest.ingested() + " normalised, " + ingest.rejected()
                                + " rejected " + ingest.reasons() + " of " + pairs.sent());
                        return new Trained(chosen.get().checkpoint(), new PairCounts(pairs.sent(), ingest.ingested(),
                                ingest.rejected()));
                    }
                }
                TrainerClient.Status status = trainer.status();
                display.status(String.format(Locale.ROOT, "ingest %d/%d · step %d/%d, loss %s",
                        ingest.ingested() + ingest.rejected(), pairs.sent(), status.step(), options.steps(),
                        format(status.loss())));
                if (System.nanoTime() > deadline) {
                    throw new DemoFailure("No checkpoint at step " + options.steps() + " within "
                            + options.phaseTimeoutSeconds() + " s; the trainer is at step " + status.step()
                            + " after ingest passed " + ingest.ingested() + " of " + pairs.sent() + " pairs. See "
                            + stack.log(stack.service(ServiceWiring.TRAINER)));
                }
            }
        }
    }

    private void rollOut(LocalStack stack, ServiceWiring wiring, Checkpoint checkpoint) throws IOException {
        String version = checkpoint.getVersion();
        display.phase("rollout", "checkpoint " + version + ": " + ServiceWiring.ROLLOUT_KEY + "=" + version + " in "
                + wiring.rolloutFile());
        ArtifactStore store = ArtifactStore.open(wiring.checkpointStoreUri());
        if (store.locate(version).isEmpty()) {
            throw new DemoFailure("The trainer announced checkpoint " + version + " at " + checkpoint.getArtifactUri()
                    + ", but the store " + wiring.checkpointStoreUri() + " does not have it");
        }
        RolloutFile.write(wiring.rolloutFile(), version);
        stack.awaitReady(LocalStack.READY_AFTER_ROLLOUT, options.startTimeoutSeconds());
        display.line("      the embedder is ready: it serves checkpoint " + version);
    }

    /** The checkpoints' metrics against steps, as a PNG in the run folder; a chart that fails is a line, not a failure. */
    private void plotLearningCurve(KafkaOptions kafka, Path runDirectory) {
        Path png = runDirectory.resolve("learning-curve.png");
        try {
            CheckpointLog log = CheckpointLog.read(kafka.settings(), Topics.CHECKPOINTS, Duration.ofSeconds(30));
            LearningCurve curve = LearningCurve.of(log.checkpoints().values());
            LearningCurveChart.writePng(curve, "Demo learning curve (" + curve.checkpoints() + " checkpoints)", png,
                    1000, 700);
            display.line("      learning curve: " + png + " (" + curve.checkpoints() + " checkpoints, steps "
                    + curve.firstStep() + "–" + curve.lastStep() + ")");
        } catch (IOException | RuntimeException e) {
            display.line("      learning curve not drawn: " + e.getMessage());
        }
    }

    private DemoSummary classify(LocalStack stack, KafkaOptions kafka, DemoPlan plan, Trained trained,
            List<PromptVariant> variants) {
        display.phase("images", String.format(Locale.ROOT, "%d %s images to %s at %.0f/s, each ranked among the "
                + "%d labels of its draw", plan.testImages().size(), classifiedStyle, Topics.IMAGES,
                options.imageRate(), plan.labels().size()));
        display.line("      watch them arrive: " + stack.consoleUrl("live.html?labelSet="
                + DrawScores.labelSetId(0, variants.getLast())));
        Map<String, String> trueLabels = new LinkedHashMap<>();
        plan.testImages().forEach(image -> trueLabels.put(image.imageId(), image.trueLabel()));
        // Each image is shown, timed and accounted for under the ensemble of the first draw holding its label; every
        // set is scored.
        Map<String, String> shownSet = new HashMap<>();
        trueLabels.forEach((id, label) -> {
            for (int d = 0; d < plan.draws().size(); d++) {
                if (plan.draws().get(d).contains(label)) {
                    shownSet.putIfAbsent(id, DrawScores.labelSetId(d, variants.getLast()));
                }
            }
        });
        ImageOutcomes outcomes = new ImageOutcomes(shownSet::get, trueLabels);
        DrawScores scores = new DrawScores(plan.draws(), variants, trueLabels, DemoSummary.TOP_K);

        Progress progress = new Progress("images", plan.testImages().size(), display.stream());
        try (ImagePublisher publisher = new ImagePublisher(kafka.producerProperties("clipstream-demo-images"),
                progress)) {
            long interval = Math.round(1e9 / options.imageRate());
            long next = System.nanoTime();
            for (DemoPlan.TestImage image : plan.testImages()) {
                // A thumbnail rides along as an attribute, for the console's live view.
                publisher.publish(image.imageId(), image.file(), Thumbnails.dataUrl(image.file())
                        .map(url -> Map.of(Thumbnails.ATTRIBUTE, url)).orElse(Map.of()));
                next += interval;
                pauseUntil(next);
            }
        }
        progress.finish();

        long deadline = deadline(options.phaseTimeoutSeconds());
        try (TopicTail tail = new TopicTail(kafka.settings(), ImageOutcomes.TOPICS)) {
            while (!(outcomes.accountsFor(progress.sentCount()) && scores.received() >= scores.expected(
                    outcomes.classified().stream().map(ClassifiedImage::imageId).collect(Collectors.toSet())))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : tail.poll(POLL)) {
                    outcomes.accept(record.topic(), record.key(), record.value()).ifPresent(this::show);
                    if (Topics.CLASSIFICATIONS.equals(record.topic())) {
                        scores.accept(record.value());
                    }
                }
                display.status(outcomes.classified().size() + " of " + progress.sentCount() + " classified");
            }
        }
        outcomes.rejected().forEach((id, reason) -> display.line("      rejected " + id + ": " + reason));
        long missing = progress.sentCount() - outcomes.classified().size() - outcomes.rejected().size();
        if (missing > 0) {
            display.line("      " + missing + " images had no outcome within " + options.phaseTimeoutSeconds() + " s");
        }
        Checkpoint checkpoint = trained.checkpoint();
        return new DemoSummary(trained.pairs(), new Training(checkpoint.getStep(), CheckpointWait.loss(checkpoint),
                checkpoint.getVersion()), plan.labels().size(), outcomes.classified(),
                new ImageCounts(progress.sentCount(), outcomes.rejected().size(), Math.max(0, missing)),
                plan.crossStyle(), scores.scores());
    }

    /**
     * Text → image recall@{@value DemoSummary#TOP_K} through the search service over the images just classified, once
     * it has indexed them (or the wait is over); a search that fails is a line, not a failed demo.
     */
    private DemoSummary searchRecall(LocalStack stack, DemoSummary summary) {
        String version = summary.training().checkpoint();
        Map<String, String> trueLabels = new LinkedHashMap<>();
        summary.classified().stream().filter(c -> c.modelVersion().equals(version))
                .forEach(c -> trueLabels.put(c.imageId(), c.trueLabel()));
        display.phase("search", String.format(Locale.ROOT, "%d labels as text queries, top %d among the %d images "
                + "of version %s", new HashSet<>(trueLabels.values()).size(), DemoSummary.TOP_K,
                trueLabels.size(), version));
        try {
            SearchClient search = new SearchClient(http, stack.service(ServiceWiring.SEARCH).baseUrl());
            long deadline = deadline(SEARCH_INDEX_WAIT.toSeconds());
            long indexed = search.documents(version);
            while (indexed < trueLabels.size() && System.nanoTime() < deadline) {
                display.status(indexed + " of " + trueLabels.size() + " indexed");
                pauseUntil(System.nanoTime() + POLL.toNanos());
                indexed = search.documents(version);
            }
            SearchRecall recall = SearchRecall.measure(trueLabels, DemoSummary.TOP_K, indexed,
                    (text, k) -> search.byText(text, k, version));
            return summary.withSearch(recall);
        } catch (DemoFailure e) {
            display.line("      search not measured: " + e.getMessage());
            return summary;
        }
    }

    private void show(ClassifiedImage image) {
        String verdict = image.inTop(1) ? "top-1" : image.inTop(DemoSummary.TOP_K) ? "top-5" : "miss ";
        display.line(String.format(Locale.ROOT, "      %s  %-12s %-28s → %s  (%d ms)", verdict, image.imageId(),
                image.trueLabel(), String.join(" | ", image.ranked().subList(0, Math.min(3, image.ranked().size()))),
                image.latencyMillis()));
    }

    private static String format(Double loss) {
        return loss == null ? "-" : String.format(Locale.ROOT, "%.4f", loss);
    }

    private static void pauseUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("Interrupted while publishing images");
            }
        }
    }

    private static long deadline(long seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }
}
