package io.clipstream.search.runtime;

import io.clipstream.http.AcceptedBodies;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServableVersions;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.GroupMembership;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.search.ModelConfig;
import io.clipstream.search.SearchConfig;
import io.clipstream.search.SearchService;
import io.clipstream.search.ServingVersion;
import io.clipstream.search.index.OpenSearchIndex;
import io.clipstream.search.index.OpenSearchRequests;
import io.clipstream.search.index.VectorIndex;
import io.clipstream.search.index.VectorStore;
import io.clipstream.search.stream.EmbeddingIndexer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The search service's parts, wired from configuration; {@link SearchLifecycle} starts and stops the indexer. */
@ApplicationScoped
public class SearchBeans {

    /** Said in the answer to a Content-Type search does not take. */
    @Produces
    @Singleton
    AcceptedBodies acceptedBodies() {
        return new AcceptedBodies("the query image as the body with an image/* type, or as multipart/form-data with"
                + " one \"image\" part");
    }

    @Produces
    @Singleton
    SearchMetrics metrics(MeterRegistry registry) {
        return new SearchMetrics(registry);
    }

    /** The index chosen by {@code clipstream.search.backend}. */
    @Produces
    @Singleton
    VectorStore index(SearchConfig config, SearchMetrics metrics) {
        VectorStore index = switch (config.backend()) {
            case LUCENE -> lucene(config);
            case OPENSEARCH -> openSearch(config.opensearch(), config.index());
        };
        metrics.watch(index);
        return index;
    }

    private static VectorStore openSearch(SearchConfig.OpenSearch cluster, SearchConfig.Index index) {
        return OpenSearchIndex.connect(new OpenSearchIndex.Connection(cluster.url(), cluster.username(),
                cluster.password()), new OpenSearchRequests.Settings(cluster.indexPrefix(), cluster.engine(),
                index.maxConnections(), index.beamWidth(), cluster.shards(), cluster.replicas(),
                cluster.bulkMaxDocuments()), Clock.systemUTC());
    }

    private static VectorStore lucene(SearchConfig config) {
        Path folder = config.stateDir().resolve("index");
        try {
            Files.createDirectories(folder);
            return VectorIndex.open(folder, new VectorIndex.Settings(config.index().maxConnections(),
                    config.index().beamWidth()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the search index in " + folder + " (clipstream.search.state-dir)", e);
        }
    }

    void closeIndex(@Disposes VectorStore index) throws IOException {
        index.close();
    }

    @Produces
    @Singleton
    ServingVersion servingVersion(ModelConfig model) {
        return new ServingVersion(new CheckpointSource(model.checkpoint(), model.checkpointFile(),
                model.checkpointSha256()));
    }

    @Produces
    @Singleton
    ModelVersions modelVersions(ModelConfig model, SearchConfig config) {
        ArtifactStore store = ArtifactStore.open(model.store());
        CheckpointResolver resolver = new CheckpointResolver(store, model.vocabulary(), ImageLimits.DEFAULT);
        // A query names its version: only one that PASSED the trainer's guardrail or is rolled out is loaded.
        ServableVersions servable = new ServableVersions(store,
                new CheckpointSource(model.checkpoint(), model.checkpointFile(), model.checkpointSha256()));
        return new ModelVersions(version -> {
            servable.require(version);
            return resolver.loadVersion(version);
        }, config.versions().loaded(), config.versions().unavailableRetry(), Clock.systemUTC());
    }

    void closeModelVersions(@Disposes ModelVersions versions) {
        versions.close();
    }

    @Produces
    @Singleton
    SearchService search(VectorStore index, ModelVersions versions, ServingVersion serving, SearchConfig config) {
        SearchConfig.Query query = config.query();
        return new SearchService(index, versions, serving::get, new SearchService.Limits(query.defaultK(),
                query.maxK(), query.maxTextLength(), query.maxFilters(), query.maxConcurrentImages(), query.candidates()));
    }

    @Produces
    @Singleton
    EmbeddingIndexer indexer(SearchConfig config, VectorStore index, SearchMetrics metrics, ServingVersion serving,
            KafkaMembershipConfig membership, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        SearchConfig.Index settings = config.index();
        return new EmbeddingIndexer(new EmbeddingIndexer.Settings(config.groupId(),
                KafkaClientSettings.of(kafka).clientConfig(), GroupMembership.of(membership.groupInstanceId()),
                settings.commitInterval(), settings.commitMaxRecords(), settings.refreshInterval(), settings.retention()),
                index, metrics, serving::get, Clock.systemUTC());
    }
}
