package io.clipstream.trainer.runtime;

import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.AdamW;
import io.clipstream.model.train.LearningRateSchedule;
import io.clipstream.model.train.TrainingConfig;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.trainer.ModelConfig;
import io.clipstream.trainer.TrainerConfig;
import io.clipstream.trainer.TrainerSettings;
import io.clipstream.trainer.TrainerStatus;
import io.clipstream.trainer.TrainingRun;
import io.clipstream.trainer.data.BatchSettings;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.eval.Guardrail;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the trainer inside the service: builds the run from the configuration on start-up (reading the pairs topic
 * and announcing on the checkpoints topic), and stops it on shutdown with a last checkpoint when configured. The
 * run's slow start (loading a checkpoint, training a vocabulary) happens on its own thread: the service is up and
 * answers status requests meanwhile.
 */
@ApplicationScoped
public class TrainerRunner {

    private static final Logger LOG = Logger.getLogger(TrainerRunner.class);
    private static final String PRECISION = "clipstream.trainer.precision";
    /** Within Kubernetes' grace period of 120 s: a step, an evaluation and a checkpoint. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(110);

    private final TrainerConfig config;
    private final KafkaCheckpointAnnouncer announcer;
    private final TrainingRun run;
    private final AtomicInteger readers = new AtomicInteger();

    public TrainerRunner(TrainerConfig config, ModelConfig model, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        KafkaClientSettings kafka = KafkaClientSettings.of(kafkaConfig);
        this.announcer = new KafkaCheckpointAnnouncer(kafka, config.checkpointsTopic(),
                "clipstream-trainer-checkpoints");
        TrainerMetrics metrics = new TrainerMetrics(registry, this::status);
        this.run = new TrainingRun(settings(config, model), ArtifactStore.open(model.store()),
                () -> new KafkaPairSource(kafka, config.topic(), config.startFrom(),
                        "clipstream-trainer-" + readers.incrementAndGet()),
                announcer, metrics, !config.autostart());
    }

    void onStart(@Observes StartupEvent event) {
        run.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            run.stop(config.checkpoint().onShutdown(), STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while stopping the trainer");
        } finally {
            announcer.close();
        }
    }

    public TrainingRun run() {
        return run;
    }

    /** For the gauges, which are registered before the run exists. */
    private TrainerStatus status() {
        return run.status();
    }

    /** The plain settings of a run from the service's typed configuration. */
    public static TrainerSettings settings(TrainerConfig c, ModelConfig model) {
        TrainerConfig.Optimizer o = c.optimizer();
        LearningRateSchedule schedule = switch (o.schedule()) {
            case "constant" -> LearningRateSchedule.warmupConstant(o.learningRate(), o.warmupSteps());
            case "cosine" -> LearningRateSchedule.warmupCosine(o.learningRate(), o.warmupSteps(),
                    o.totalSteps().orElseThrow(() -> new IllegalArgumentException(
                            "clipstream.trainer.optimizer.schedule=cosine needs ...optimizer.total-steps")));
            default -> throw new IllegalArgumentException("clipstream.trainer.optimizer.schedule must be constant"
                    + " or cosine, was " + o.schedule());
        };
        TrainingConfig training = new TrainingConfig(schedule, AdamW.Settings.openClip().withWeightDecay(o.weightDecay()),
                o.maxGradientNorm(), o.microBatchSize(), precision(c.precision()));
        TrainerConfig.Batch b = c.batch();
        List<TrainerSettings.ZeroShotSpec> suites = c.zeroShot().entrySet().stream()
                .map(e -> spec(e.getKey(), e.getValue())).toList();
        return new TrainerSettings(c.topic(), c.preset(), c.initWeights(), model.vocabulary(),
                c.tokenizer().bootstrapCaptions(), c.tokenizer().vocabSize(), c.tokenizer().bootstrapQuiet(),
                new BatchSettings(b.size(), b.replayFraction(), b.shuffleBuffer(), b.replayCapacity(),
                        c.heldOut().poolSize(), b.rehearseWhenIdle()),
                b.idleFlush(), b.prefetch(), c.heldOut().fraction(), training,
                new TrainerSettings.CheckpointPolicy(c.checkpoint().everySteps(), c.checkpoint().every(),
                        c.checkpoint().onShutdown(), new TrainerSettings.Retry(c.checkpoint().retry().initialBackoff(),
                                c.checkpoint().retry().maxBackoff(), c.checkpoint().retry().unhealthyAfter()),
                        new TrainerSettings.Retention(c.checkpoint().retention().enabled(),
                                c.checkpoint().retention().keepLast(), c.checkpoint().retention().keepPassed(),
                                c.checkpoint().retention().rolloutFiles().orElse(List.of()))),
                c.checkpoint().evaluationBatch(),
                new Guardrail.Settings(c.guardrail().significance(), c.guardrail().lossTolerance()),
                suites, c.seed(), c.peakFlops(), captionMix(c.captionMix()), augmentation(c.augmentation()));
    }

    /** {@code clipstream.trainer.precision} parsed, and refused at start-up where the device cannot run it. */
    static Precision precision(String setting) {
        Precision precision = Precision.parseSetting(PRECISION, setting);
        if (precision == Precision.FP16) { // the only one that depends on the device: the others load no engine here
            try {
                precision.requireSupportedOn(Engines.defaultDevice());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PRECISION + ": " + e.getMessage(), e);
            }
        }
        return precision;
    }

    private static CaptionMix.Settings captionMix(TrainerConfig.Captions m) {
        return new CaptionMix.Settings(m.enabled(), m.nameAttribute(), m.keywordsAttribute(), m.templates(),
                m.nameShare(), m.keywordsShare(), m.templateShare());
    }

    private static ImageAugmentation.Settings augmentation(TrainerConfig.Augmentation a) {
        return new ImageAugmentation.Settings(a.enabled(), a.minScale(), a.maxAspect(), a.flipProbability(),
                a.brightness(), a.contrast(), a.saturation(), a.greyProbability());
    }

    private static TrainerSettings.ZeroShotSpec spec(String name, TrainerConfig.ZeroShotSuite suite) {
        return new TrainerSettings.ZeroShotSpec(name, suite.index(),
                suite.images().orElse(suite.index().toAbsolutePath().getParent()), suite.templates(), suite.limit());
    }
}
