package io.clipstream.classifier.stream;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.ModelConfig;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.scoring.ModelVersions;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/** Hands the classifier topology, wired from configuration, to Quarkus' Kafka Streams. */
@ApplicationScoped
public class ClassifierTopologyProducer {

    @Produces
    @ApplicationScoped
    ModelVersions modelVersions(ModelConfig model, ClassifierConfig config) {
        CheckpointResolver resolver = new CheckpointResolver(ArtifactStore.open(model.store()), model.vocabulary(),
                ImageLimits.DEFAULT);
        return new ModelVersions(resolver::loadVersion, config.loadedVersions(), config.unavailableVersionRetry(),
                Clock.systemUTC());
    }

    void closeModelVersions(@Disposes ModelVersions versions) {
        versions.close();
    }

    @Produces
    @ApplicationScoped
    LabelEmbeddingCache labelEmbeddingCache(ClassifierConfig config) {
        return new LabelEmbeddingCache(config.labelEmbeddingCacheSize());
    }

    void closeLabelEmbeddingCache(@Disposes LabelEmbeddingCache cache) {
        cache.close();
    }

    @Produces
    @ApplicationScoped
    ClassifierMetrics metrics(MeterRegistry registry, LabelEmbeddingCache cache, ModelVersions versions) {
        return new ClassifierMetrics(registry, cache, versions);
    }

    @Produces
    Topology topology(ClassifierConfig config, ModelVersions versions, LabelEmbeddingCache cache,
            ClassifierMetrics metrics) {
        return ClassifierTopology.build(new BatchClassifier(versions, cache, Clock.systemUTC()), metrics,
                config.batch().maxSize(), config.batch().flushInterval());
    }
}
