package io.clipstream.embedder.runtime;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.http.AcceptedBodies;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.EmbedderConfig;
import io.clipstream.embedder.EmbedderImageLimits;
import io.clipstream.embedder.MemoryConfig;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.embedder.ModelConfig;
import io.clipstream.embedder.stream.EmbeddingPipeline;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.KafkaClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** The embedder's parts, wired from configuration; {@link EmbedderLifecycle} starts and stops them in order. */
@ApplicationScoped
public class EmbedderBeans {

    /** Said in the answer to a Content-Type the embedder does not take. */
    @Produces
    @Singleton
    AcceptedBodies acceptedBodies() {
        return new AcceptedBodies("images as multipart/form-data with \"image\" parts or as the body with an image/*"
                + " type, texts as a JSON list");
    }

    @Produces
    @Singleton
    EmbedderMetrics metrics(MeterRegistry registry) {
        return new EmbedderMetrics(registry);
    }

    /** One budget for every decode, the stream's and HTTP's. */
    @Produces
    @Singleton
    DecodeBudget decodeBudget(MemoryConfig memory, EmbedderMetrics metrics) {
        DecodeBudget budget = memory.decodeBudget().isPresent() ? new DecodeBudget(memory.decodeBudget().getAsLong())
                : DecodeBudget.ofHeap(memory.decodeBudgetHeapFraction());
        metrics.decodeBudget(budget);
        return budget;
    }

    @Produces
    @Singleton
    ActiveModel activeModel() {
        return new ActiveModel();
    }

    @Produces
    @Singleton
    CheckpointWatcher checkpointWatcher(ModelConfig model, EmbedderImageLimits imageLimits, ActiveModel active,
            EmbedderMetrics metrics) {
        CheckpointResolver resolver = new CheckpointResolver(ArtifactStore.open(model.store()), model.vocabulary(),
                imageLimits.limits(), model.effectivePrecision());
        metrics.precision(resolver.precision());
        return new CheckpointWatcher(new CheckpointSource(model.checkpoint(), model.checkpointFile(),
                model.checkpointSha256()), resolver::load,
                active, model.retryInterval(), Clock.systemUTC(), metrics);
    }

    @Produces
    @Singleton
    EmbeddingPipeline pipeline(EmbedderConfig config, MemoryConfig memory, ActiveModel active, EmbedderMetrics metrics,
            DecodeBudget decodeBudget, KafkaMembershipConfig membership,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        return new EmbeddingPipeline(EmbeddingPipeline.Settings.of(config.groupId(), config.batch().maxSize(),
                config.batch().maxWait(), config.batch().effectiveQueueCapacity(),
                KafkaClientSettings.of(kafka).clientConfig())
                .withQueueMaxBytes(memory.queueMaxBytes())
                .withMembership(GroupMembership.of(membership.groupInstanceId()))
                .withDecodeThreads(config.decode().effectiveThreads()), active, metrics, decodeBudget);
    }
}
