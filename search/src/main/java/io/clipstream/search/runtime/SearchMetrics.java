package io.clipstream.search.runtime;

import io.clipstream.schemas.RejectReason;
import io.clipstream.search.index.VectorStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The service's own metrics ({@code clipstream_search_*} at /q/metrics). */
public final class SearchMetrics {

    /** What a query searched by. */
    public enum QueryKind { TEXT, IMAGE }

    private final MeterRegistry registry;
    private final Timer commits;
    private final Counter restarts;

    public SearchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.commits = Timer.builder("clipstream.search.index.commit")
                .description("Index commits (Lucene commits with their stream positions, or OpenSearch bulk writes)").register(registry);
        this.restarts = Counter.builder("clipstream.search.indexer.restarts")
                .description("Times the indexer started again from the committed positions after an error")
                .register(registry);
    }

    /** Documents searchable now, all versions together. */
    public void watch(VectorStore index) {
        Gauge.builder("clipstream.search.index.documents", index, VectorStore::documents)
                .description("Image embeddings searchable now, all model versions").register(registry);
    }

    public void indexed(String version) {
        registry.counter("clipstream.search.indexed", "version", version).increment();
    }

    public void rejected(RejectReason reason) {
        registry.counter("clipstream.search.rejected", "reason", reason.name()).increment();
    }

    public void committed(int records, long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void indexerRestart() {
        restarts.increment();
    }

    public void versionDeleted(String version) {
        registry.counter("clipstream.search.versions.deleted", "version", version).increment();
    }

    public void query(QueryKind kind, String version, double millis) {
        Timer.builder("clipstream.search.query").tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                .tag("version", version).publishPercentiles(0.5, 0.99).register(registry)
                .record((long) (millis * 1e6), TimeUnit.NANOSECONDS);
    }
}
