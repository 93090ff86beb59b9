package io.clipstream.search.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.indices.GetMappingResponse;
import org.opensearch.client.opensearch.indices.get_mapping.IndexMappingRecord;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vector index in an OpenSearch cluster, for more than one machine: one k-NN index per model version
 * ({@link OpenSearchRequests}), written in bulk, the documents keyed by image id.
 *
 * <p>Keeps no stream positions ({@link Positions#IN_CONSUMER_GROUP}): what was added is held here until
 * {@link #commit}, which writes it with bulk requests and returns only once every item is acknowledged, so that the
 * indexer commits the group's offsets after it and never before. An item OpenSearch refuses for what it is (a 400:
 * dimensions the version's mapping does not have) is a {@link Refusal}, for the rejected topic; any other item
 * failure (429, a write block, 5xx) or a failed request fails the whole commit, and the batch is read again from the
 * group's offsets (what was written of it is simply written again, onto the same ids).
 *
 * <p>Thread-safe: the stream adds and commits, HTTP threads search.
 */
public final class OpenSearchIndex implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchIndex.class);
    /** How long the cluster's view of each version's last-indexed time is trusted before it is read again. */
    private static final Duration LAST_INDEXED_REFRESH = Duration.ofMinutes(1);

    /** Where the cluster is and who to be there. */
    public record Connection(URI url, Optional<String> username, Optional<String> password) {
    }

    private final OpenSearchClient client;
    private final OpenSearchTransport transport;
    private final OpenSearchRequests requests;
    private final Clock clock;
    private final Map<String, Integer> dimensions = new HashMap<>();
    private final Map<String, Instant> lastIndexed = new HashMap<>();
    private final Map<String, Instant> lastIndexedHere = new HashMap<>();
    private Instant lastIndexedReadAt = Instant.MIN;
    private List<OpenSearchRequests.Pending> buffer = new ArrayList<>();
    /** The dimensions of the versions first met in the buffer (their index is made with them at the commit). */
    private final Map<String, Integer> bufferDimensions = new HashMap<>();

    OpenSearchIndex(OpenSearchTransport transport, OpenSearchRequests requests, Clock clock) {
        this.transport = transport;
        this.client = new OpenSearchClient(transport);
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * Connects to the cluster at {@code connection} and reads what it holds of our versions; a cluster that cannot
     * be reached yet is read later (every write and query tries again).
     */
    public static OpenSearchIndex connect(Connection connection, OpenSearchRequests.Settings settings, Clock clock) {
        HttpHost host;
        try {
            host = HttpHost.create(connection.url());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clipstream.search.opensearch.url is not a URL: " + connection.url(), e);
        }
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper());
        String path = connection.url().getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            builder.setPathPrefix(path);
        }
        if (connection.username().isPresent()) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(
                    connection.username().get(), connection.password().orElse("").toCharArray()));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        OpenSearchIndex index = new OpenSearchIndex(builder.build(), new OpenSearchRequests(settings), clock);
        try {
            index.readVersions();
        } catch (IOException | RuntimeException e) {
            LOG.warn("OpenSearch at {} cannot be read yet ({}); its versions are read at the first write or query",
                    connection.url(), e.toString());
        }
        return index;
    }

    @Override
    public Positions positions() {
        return Positions.IN_CONSUMER_GROUP;
    }

    public OpenSearchRequests requests() {
        return requests;
    }

    @Override
    public synchronized Optional<String> problem(Entry entry) {
        Integer known = dimensions.get(entry.modelVersion());
        if (known == null) {
            // The first of a version in this batch fixes its dimensions, as its index will be made with them.
            known = bufferDimensions.get(entry.modelVersion());
        }
        return entry.dimensionProblem(OpenSearchRequests.MAX_DIMENSIONS, "an OpenSearch knn_vector takes", known);
    }

    @Override
    public synchronized void add(Entry entry, Instant indexedAt) {
        Optional<String> problem = problem(entry);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        buffer.add(new OpenSearchRequests.Pending(entry, indexedAt));
        bufferDimensions.putIfAbsent(entry.modelVersion(), entry.vector().length);
        lastIndexedHere.merge(entry.modelVersion(), indexedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * Deletes the version's index at once. A cluster that refuses (no right to delete, say) does not stop the
     * indexing: the version is left, and tried again once the last-indexed times are read from the cluster again.
     */
    @Override
    public void deleteVersion(String version) throws IOException {
        try {
            call(() -> client.indices().delete(d -> d.index(requests.indexName(version)).ignoreUnavailable(true)));
        } catch (IOException e) {
            if (!(e.getCause() instanceof OpenSearchException)) {
                throw e;
            }
            LOG.warn("model version {}: its OpenSearch index {} could not be deleted ({}); tried again later",
                    version, requests.indexName(version), e.getMessage());
        }
        synchronized (this) {
            dimensions.remove(version);
            lastIndexed.remove(version);
            lastIndexedHere.remove(version);
        }
    }

    /**
     * Writes what was added: each version's index made where missing, then the bulk requests. Returns the items
     * refused for what they are; throws when anything else failed (nothing of the batch may count as written).
     * The batch is forgotten either way: after a failure it is read again from the stream.
     */
    @Override
    public List<Refusal> commit(Map<String, Long> positions) throws IOException {
        List<OpenSearchRequests.Pending> batch;
        synchronized (this) {
            batch = buffer;
            buffer = new ArrayList<>();
            bufferDimensions.clear();
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> versions = new LinkedHashMap<>();
        batch.forEach(p -> versions.putIfAbsent(p.entry().modelVersion(), p.entry().vector().length));
        Map<String, String> unwritable = new HashMap<>();
        for (Map.Entry<String, Integer> version : versions.entrySet()) {
            try {
                ensureIndex(version.getKey(), version.getValue());
            } catch (NotOurIndexException e) {
                unwritable.put(version.getKey(), e.getMessage());
            }
        }
        List<Refusal> refusals = new ArrayList<>();
        if (!unwritable.isEmpty()) {
            List<OpenSearchRequests.Pending> writable = new ArrayList<>();
            for (OpenSearchRequests.Pending pending : batch) {
                String why = unwritable.get(pending.entry().modelVersion());
                if (why == null) {
                    writable.add(pending);
                } else {
                    refusals.add(new Refusal(pending.entry(), why));
                }
            }
            batch = writable;
        }
        List<BulkRequest> bulks = requests.bulk(batch);
        int from = 0;
        for (BulkRequest bulk : bulks) {
            List<OpenSearchRequests.Pending> written = batch.subList(from, from + bulk.operations().size());
            from += bulk.operations().size();
            BulkResponse response = call(() -> client.bulk(bulk));
            List<OpenSearchRequests.ItemFailure> failures = OpenSearchRequests.failures(written, response);
            List<OpenSearchRequests.ItemFailure> passing = failures.stream().filter(f -> !f.recordAtFault()).toList();
            if (!passing.isEmpty()) {
                OpenSearchRequests.ItemFailure first = passing.get(0);
                throw new IOException(passing.size() + " of " + written.size() + " documents were not written by "
                        + "OpenSearch (first: " + first.entry().imageId() + ", status " + first.status() + ", "
                        + first.reason() + "); the batch is read again");
            }
            failures.forEach(f -> refusals.add(new Refusal(f.entry(), "OpenSearch refused it: " + f.reason())));
        }
        synchronized (this) {
            lastIndexedHere.forEach((version, at) -> lastIndexed.merge(version, at, (a, b) -> a.isAfter(b) ? a : b));
        }
        return refusals;
    }

    /** Makes a version's index, unless it exists (another replica may have made it): then learns its dimensions. */
    private void ensureIndex(String version, int wanted) throws IOException {
        synchronized (this) {
            if (dimensions.containsKey(version)) {
                return;
            }
        }
        try {
            call(() -> client.indices().create(requests.createIndex(version, wanted)));
            LOG.info("model version {}: OpenSearch index {} made ({} dimensions)", version,
                    requests.indexName(version), wanted);
            synchronized (this) {
                dimensions.put(version, wanted);
            }
        } catch (IOException e) {
            if (!(e.getCause() instanceof OpenSearchException refused)
                    || !"resource_already_exists_exception".equals(refused.error().type())) {
                throw e;
            }
            Optional<Integer> existing = readDimensions(version);
            if (existing.isEmpty()) {
                // Never a retry: the index stays what it is until an operator removes it.
                throw new NotOurIndexException("the OpenSearch index " + requests.indexName(version)
                        + " exists, but is not model version " + version + "'s k-NN index (no _meta.model_version "
                        + "naming it, or no knn_vector field 'vector')");
            }
            synchronized (this) {
                dimensions.put(version, existing.get());
            }
        }
    }

    private Optional<Integer> readDimensions(String version) throws IOException {
        GetMappingResponse mappings;
        try {
            mappings = call(() -> client.indices().getMapping(g -> g.index(requests.indexName(version))));
        } catch (IOException e) {
            if (e.getCause() instanceof OpenSearchException missing && missing.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        for (IndexMappingRecord record : mappings.result().values()) {
            if (OpenSearchRequests.versionOf(record.mappings()).filter(version::equals).isPresent()) {
                return OpenSearchRequests.dimensionsOf(record.mappings());
            }
        }
        return Optional.empty();
    }

    /** Our versions' indexes and their dimensions, as the cluster has them now. */
    private Map<String, String> readVersions() throws IOException {
        GetMappingResponse mappings = call(() -> client.indices().getMapping(g -> g.index(requests.allIndexes())
                .allowNoIndices(true).ignoreUnavailable(true)));
        Map<String, String> indexes = new TreeMap<>();
        Map<String, Integer> found = new HashMap<>();
        mappings.result().forEach((name, record) -> {
            Optional<String> version = OpenSearchRequests.versionOf(record.mappings());
            Optional<Integer> dims = OpenSearchRequests.dimensionsOf(record.mappings());
            if (version.isPresent() && dims.isPresent() && name.equals(requests.indexName(version.get()))) {
                indexes.put(version.get(), name);
                found.put(version.get(), dims.get());
            }
        });
        synchronized (this) {
            dimensions.putAll(found);
        }
        return indexes;
    }

    /** Nothing to do: OpenSearch refreshes on its own (the index's refresh_interval) after each bulk write. */
    @Override
    public void refresh() {
    }

    @Override
    public synchronized void discardUncommitted() {
        buffer = new ArrayList<>();
        bufferDimensions.clear();
    }

    /** None: the positions are the consumer group's. */
    @Override
    public Optional<Long> committedPosition(String topic, int partition) {
        return Optional.empty();
    }

    @Override
    public List<Hit> search(String version, float[] query, int k, int candidates, Map<String, String> filters)
            throws IOException {
        Integer dims;
        synchronized (this) {
            dims = dimensions.get(version);
        }
        if (dims == null) {
            dims = readDimensions(version).orElse(null);
            if (dims == null) {
                return List.of();
            }
            synchronized (this) {
                dimensions.put(version, dims);
            }
        }
        if (dims != query.length) {
            throw new IllegalArgumentException("the query has " + query.length + " dimensions, model version "
                    + version + " has " + dims);
        }
        SearchResponse<OpenSearchRequests.StoredDocument> response;
        try {
            response = call(() -> client.search(requests.knn(version, query, k, candidates, filters),
                    OpenSearchRequests.StoredDocument.class));
        } catch (IOException e) {
            if (e.getCause() instanceof OpenSearchException missing && missing.status() == 404) {
                return List.of(); // deleted since (retention, elsewhere)
            }
            throw e;
        }
        List<Hit> hits = new ArrayList<>();
        for (org.opensearch.client.opensearch.core.search.Hit<OpenSearchRequests.StoredDocument> hit
                : response.hits().hits()) {
            hits.add(OpenSearchRequests.hit(hit));
        }
        return hits;
    }

    /** Each version: its dimensions (mapping), documents (searchable now) and last-indexed time. */
    @Override
    public Map<String, VersionStats> versions() throws IOException {
        Map<String, String> indexes = readVersions();
        Map<String, Long> documents = countByIndex();
        Map<String, Instant> last = lastIndexed();
        Map<String, VersionStats> versions = new TreeMap<>();
        synchronized (this) {
            indexes.forEach((version, index) -> versions.put(version, new VersionStats(version,
                    dimensions.getOrDefault(version, 0), documents.getOrDefault(index, 0L),
                    Optional.ofNullable(last.get(version)))));
        }
        return Collections.unmodifiableMap(versions);
    }

    /** Documents and latest indexed_at of each of our indexes: one terms aggregation over the index pattern. */
    private record IndexFigures(Map<String, Long> documents, Map<String, Instant> lastIndexed) {
    }

    private IndexFigures figures() throws IOException {
        SearchResponse<Void> response = call(() -> client.search(s -> s.index(requests.allIndexes())
                .allowNoIndices(true).ignoreUnavailable(true).size(0)
                .aggregations("indexes", a -> a.terms(t -> t.field("_index").size(10_000))
                        .aggregations("last", l -> l.max(m -> m.field(OpenSearchRequests.INDEXED_AT)))),
                Void.class));
        Map<String, Long> documents = new HashMap<>();
        Map<String, Instant> last = new HashMap<>();
        if (response.aggregations().containsKey("indexes")) {
            for (StringTermsBucket bucket : response.aggregations().get("indexes").sterms().buckets().array()) {
                documents.put(bucket.key(), bucket.docCount());
                Double max = bucket.aggregations().get("last").max().value();
                if (max != null && !max.isInfinite() && !max.isNaN()) {
                    last.put(bucket.key(), Instant.ofEpochMilli(max.longValue()));
                }
            }
        }
        return new IndexFigures(documents, last);
    }

    private Map<String, Long> countByIndex() throws IOException {
        return figures().documents();
    }

    /**
     * When each version last had an embedding indexed: the cluster's latest {@code indexed_at} of each index (read
     * again at most every minute: other replicas index too), merged with what this one wrote since.
     */
    @Override
    public Map<String, Instant> lastIndexed() {
        boolean stale;
        synchronized (this) {
            stale = clock.instant().isAfter(lastIndexedReadAt.plus(LAST_INDEXED_REFRESH));
        }
        if (stale) {
            try {
                Map<String, String> indexes = readVersions();
                Map<String, Instant> byIndex = figures().lastIndexed();
                synchronized (this) {
                    lastIndexed.clear();
                    indexes.forEach((version, index) -> {
                        Instant at = byIndex.get(index);
                        if (at != null) {
                            lastIndexed.put(version, at);
                        }
                    });
                    lastIndexedReadAt = clock.instant();
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    lastIndexedReadAt = clock.instant(); // tried again in a minute, not at every commit
                }
                LOG.warn("last-indexed times not read from OpenSearch ({}); the last ones read are used", e.toString());
            }
        }
        synchronized (this) {
            Map<String, Instant> merged = new HashMap<>(lastIndexed);
            lastIndexedHere.forEach((version, at) -> merged.merge(version, at, (a, b) -> a.isAfter(b) ? a : b));
            return Map.copyOf(merged);
        }
    }

    @Override
    public long documents() {
        try {
            return countByIndex().values().stream().mapToLong(Long::longValue).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops what was not written and closes the connection. */
    @Override
    public void close() throws IOException {
        discardUncommitted();
        transport.close();
    }

    /** A version whose index name is taken by another index: its embeddings can never be written there. */
    private static final class NotOurIndexException extends IOException {
        NotOurIndexException(String message) {
            super(message);
        }
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /**
     * A call to the cluster; its refusals (OpenSearchException, kept as the cause) and transport failures alike as
     * an IOException that says it was OpenSearch.
     */
    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (OpenSearchException e) {
            throw new IOException("OpenSearch refused the request: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("OpenSearch could not be reached: " + e, e);
        } catch (RuntimeException e) {
            throw new IOException("OpenSearch could not be asked: " + e, e);
        }
    }
}
