package io.clipstream.classifier.runtime;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.ModelConfig;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.stream.ClassifierTopology;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServableVersions;
import io.clipstream.model.store.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.Topology;
import org.jboss.logging.Logger;

/** Hands the classifier topology, wired from configuration, to Quarkus' Kafka Streams. */
@ApplicationScoped
public class ClassifierTopologyProducer {

    private static final Logger LOG = Logger.getLogger(ClassifierTopologyProducer.class);

    @Produces
    @ApplicationScoped
    ModelVersions modelVersions(ModelConfig model, ClassifierConfig config) {
        ArtifactStore store = ArtifactStore.open(model.store());
        CheckpointResolver resolver = new CheckpointResolver(store, model.vocabulary(), ImageLimits.DEFAULT,
                model.effectivePrecision());
        LOG.infof("label embeddings computed in %s (clipstream.model.precision)", resolver.precision().label());
        // An embedding names its version: only one that PASSED or is rolled out is loaded, not whatever it names.
        ServableVersions servable = new ServableVersions(store,
                new CheckpointSource(model.checkpoint(), model.checkpointFile(), model.checkpointSha256()));
        return new ModelVersions(version -> {
            servable.require(version);
            return resolver.loadVersion(version);
        }, config.loadedVersions(), config.unavailableVersionRetry(), Clock.systemUTC());
    }

    void closeModelVersions(@Disposes ModelVersions versions) {
        versions.close();
    }

    /**
     * Label embeddings are built on this one thread, never on the stream thread: a big set takes minutes with a real
     * text encoder, longer than a stream thread may go without polling (max.poll.interval.ms) before its group
     * rebalances, and the next replica would stall on the same set.
     */
    private final ExecutorService labelEmbeddingBuilder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("clipstream-label-embeddings").factory());

    @Produces
    @ApplicationScoped
    LabelEmbeddingCache labelEmbeddingCache(ClassifierConfig config) {
        int entries = ClassifierConfig.labelEmbeddingEntries(config);
        if (entries < config.maxLabelSets()) {
            LOG.warnf("clipstream.classifier.label-embedding-cache-size %d is below max-label-sets %d: with more sets "
                    + "than that, label embeddings are built again and again", entries, config.maxLabelSets());
        }
        return new LabelEmbeddingCache(entries, labelEmbeddingBuilder);
    }

    void closeLabelEmbeddingCache(@Disposes LabelEmbeddingCache cache) {
        labelEmbeddingBuilder.shutdownNow();
        cache.close();
    }

    @Produces
    @ApplicationScoped
    ClassifierMetrics metrics(MeterRegistry registry, LabelEmbeddingCache cache, ModelVersions versions,
            ModelConfig model) {
        ClassifierMetrics metrics = new ClassifierMetrics(registry, cache, versions);
        metrics.precision(model.effectivePrecision());
        return metrics;
    }

    @Produces
    Topology topology(ClassifierConfig config, ModelVersions versions, LabelEmbeddingCache cache,
            ClassifierMetrics metrics) {
        return ClassifierTopology.build(new BatchClassifier(versions, cache, Clock.systemUTC(),
                config.labelEmbeddingWait()), metrics, config.batch().maxSize(), config.batch().flushInterval(),
                ClassifierConfig.labelSetLimits(config), config.dedupeWindow());
    }
}
