package io.clipstream.search.index;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;

/**
 * The OpenSearch side of the index, as plain requests and answers (no connection): the name and mapping of each
 * model version's k-NN index, the bulk request of a batch, the k-NN query, and what the answers to them mean.
 *
 * <p>A version's index is {@code <prefix>-<version>} (the version as it is where it is a valid index name, else a
 * hash of it); its mapping names the version in {@code _meta.model_version}, which is how versions are listed. The
 * mapping is strict (an unknown field is refused, never mapped on the fly): attributes are kept whole in
 * {@code attributes} (not indexed, so any number of attribute names costs no fields) and filterable as
 * {@code name:value} terms of {@code attribute_filters}.
 */
public final class OpenSearchRequests {

    static final String IMAGE_ID = "image_id";
    static final String VERSION = "model_version";
    static final String EVENT_TIME = "event_time";
    static final String INDEXED_AT = "indexed_at";
    static final String ATTRIBUTES = "attributes";
    static final String ATTRIBUTE_FILTERS = "attribute_filters";
    static final String VECTOR = "vector";
    /** The k-NN plugin's limit on a knn_vector's dimensions (Lucene and Faiss engines alike). */
    public static final int MAX_DIMENSIONS = 16_000;

    private static final Pattern PLAIN_VERSION = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,49}");

    /** How each version's index is made. */
    public record Settings(String indexPrefix, String engine, int maxConnections, int beamWidth, int shards,
            int replicas, int bulkMaxDocuments) {
        public Settings {
            if (!PREFIX.matcher(indexPrefix).matches()) {
                throw new IllegalArgumentException("the OpenSearch index prefix must be lowercase letters, digits, "
                        + "'.', '_' or '-' (at most 50, not starting with a sign), was \"" + indexPrefix + "\"");
            }
            if (!engine.equals("lucene") && !engine.equals("faiss")) {
                throw new IllegalArgumentException("the OpenSearch k-NN engine is lucene or faiss (HNSW), was \""
                        + engine + "\"");
            }
            if (bulkMaxDocuments < 1) {
                throw new IllegalArgumentException("bulk-max-documents must be at least 1, was " + bulkMaxDocuments);
            }
        }
    }

    /** What a document's {@code _source} is read back as by a query (the vector left out). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredDocument(@JsonProperty(IMAGE_ID) String imageId, @JsonProperty(EVENT_TIME) Long eventTime,
            @JsonProperty(ATTRIBUTES) Map<String, String> attributes) {
    }

    /** One bulk item that failed, and whether the record itself is at fault (a 400: it can never be written). */
    public record ItemFailure(VectorStore.Entry entry, int status, String reason, boolean recordAtFault) {
    }

    private final Settings settings;

    public OpenSearchRequests(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The index pattern every version's index matches. */
    public String allIndexes() {
        return settings.indexPrefix() + "-*";
    }

    /** The index of one model version. */
    public String indexName(String version) {
        String suffix = PLAIN_VERSION.matcher(version).matches() && !version.startsWith("x-") ? version
                : "x-" + sha256(version).substring(0, 32);
        return settings.indexPrefix() + "-" + suffix;
    }

    /** Creates a version's index: a k-NN index whose vectors have {@code dimensions}, cosine, HNSW. */
    public CreateIndexRequest createIndex(String version, int dimensions) {
        return CreateIndexRequest.of(c -> c.index(indexName(version))
                .settings(s -> s.knn(true).numberOfShards(settings.shards()).numberOfReplicas(settings.replicas()))
                .mappings(mapping(version, dimensions)));
    }

    TypeMapping mapping(String version, int dimensions) {
        Map<String, Property> properties = new LinkedHashMap<>();
        properties.put(IMAGE_ID, Property.of(p -> p.keyword(k -> k)));
        properties.put(VERSION, Property.of(p -> p.keyword(k -> k)));
        properties.put(EVENT_TIME, Property.of(p -> p.date(d -> d.format("epoch_millis"))));
        properties.put(INDEXED_AT, Property.of(p -> p.date(d -> d.format("epoch_millis"))));
        properties.put(ATTRIBUTES, Property.of(p -> p.object(o -> o.enabled(false))));
        properties.put(ATTRIBUTE_FILTERS, Property.of(p -> p.keyword(k -> k)));
        properties.put(VECTOR, Property.of(p -> p.knnVector(v -> v.dimension(dimensions)
                .method(m -> m.name("hnsw").spaceType("cosinesimil").engine(settings.engine())
                        .parameters("m", JsonData.of(settings.maxConnections()))
                        .parameters("ef_construction", JsonData.of(settings.beamWidth()))))));
        return TypeMapping.of(m -> m.dynamic(DynamicMapping.Strict).meta(VERSION, JsonData.of(version))
                .properties(properties));
    }

    /** The version an index's mapping names, if it is one of ours. */
    public static Optional<String> versionOf(TypeMapping mapping) {
        if (mapping == null || mapping.meta() == null || !mapping.meta().containsKey(VERSION)) {
            return Optional.empty();
        }
        return Optional.of(mapping.meta().get(VERSION).to(String.class));
    }

    /** The dimensions of the vectors of an index's mapping, if it has our vector field. */
    public static Optional<Integer> dimensionsOf(TypeMapping mapping) {
        if (mapping == null) {
            return Optional.empty();
        }
        Property vector = mapping.properties().get(VECTOR);
        if (vector == null || !vector.isKnnVector()) {
            return Optional.empty();
        }
        return Optional.of(vector.knnVector().dimension());
    }

    /** The document of an entry: keyed by image id in its version's index, so a re-read replaces it. */
    public static Map<String, Object> document(VectorStore.Entry entry, Instant indexedAt) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put(IMAGE_ID, entry.imageId());
        document.put(VERSION, entry.modelVersion());
        if (entry.eventTime() != null) {
            document.put(EVENT_TIME, entry.eventTime().toEpochMilli());
        }
        document.put(INDEXED_AT, indexedAt.toEpochMilli());
        document.put(ATTRIBUTES, new TreeMap<>(entry.attributes()));
        List<String> filters = new ArrayList<>();
        entry.attributes().forEach((name, value) -> {
            // A filter is name:value, split at the first colon: a name with a colon could never be asked for.
            if (name.indexOf(':') < 0) {
                filters.add(filterTerm(name, value));
            }
        });
        document.put(ATTRIBUTE_FILTERS, filters);
        document.put(VECTOR, entry.vector());
        return document;
    }

    static String filterTerm(String name, String value) {
        return name + ":" + value;
    }

    /**
     * The bulk requests writing {@code batch} (in order), at most {@code bulkMaxDocuments} each: one index operation
     * per entry, its id the image id.
     */
    public List<BulkRequest> bulk(List<Pending> batch) {
        List<BulkRequest> requests = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += settings.bulkMaxDocuments()) {
            List<BulkOperation> operations = new ArrayList<>();
            for (Pending pending : batch.subList(from, Math.min(batch.size(), from + settings.bulkMaxDocuments()))) {
                VectorStore.Entry entry = pending.entry();
                operations.add(BulkOperation.of(o -> o.index(i -> i.index(indexName(entry.modelVersion()))
                        .id(entry.imageId()).document(document(entry, pending.indexedAt())))));
            }
            requests.add(BulkRequest.of(b -> b.operations(operations)));
        }
        return requests;
    }

    /** An entry added and not written yet. */
    public record Pending(VectorStore.Entry entry, Instant indexedAt) {
    }

    /**
     * The items of {@code response} that failed, matched with the entries of {@code written} (the batch the request
     * was built from, in order).
     */
    public static List<ItemFailure> failures(List<Pending> written, BulkResponse response) {
        if (response.items().size() != written.size()) {
            throw new IllegalStateException("the bulk answer has " + response.items().size() + " items for "
                    + written.size() + " documents");
        }
        List<ItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            BulkResponseItem item = response.items().get(i);
            if (item.error() == null && item.status() < 300) {
                continue;
            }
            // 400 is the document's own fault (its mapping refuses it: dimensions, a field it cannot hold); any
            // other status (429 too busy, 403 a write block, 404 the index gone, 5xx) is the cluster's, and passes.
            failures.add(new ItemFailure(written.get(i).entry(), item.status(), describe(item.error()),
                    item.status() == 400));
        }
        return failures;
    }

    static String describe(ErrorCause error) {
        if (error == null) {
            return "no reason given";
        }
        String described = error.type() + ": " + error.reason();
        return error.causedBy() != null && error.causedBy().reason() != null
                ? described + " (" + error.causedBy().type() + ": " + error.causedBy().reason() + ")" : described;
    }

    /**
     * The k-NN query of one version: the {@code k} nearest of {@code candidates} (≥ k) taken from the graph, among
     * the documents whose attributes hold every filter, without their vectors.
     */
    public SearchRequest knn(String version, float[] query, int k, int candidates, Map<String, String> filters) {
        List<Float> vector = new ArrayList<>(query.length);
        for (float v : query) {
            vector.add(v);
        }
        int ef = Math.max(k, candidates);
        Optional<Query> filter = filters.isEmpty() ? Optional.empty() : Optional.of(Query.of(q -> q.bool(b -> {
            filters.forEach((name, value) -> b.filter(f -> f.term(t -> t.field(ATTRIBUTE_FILTERS)
                    .value(FieldValue.of(filterTerm(name, value))))));
            return b;
        })));
        return SearchRequest.of(s -> s.index(indexName(version)).size(k)
                .source(src -> src.filter(f -> f.includes(IMAGE_ID, EVENT_TIME, ATTRIBUTES)))
                .query(q -> q.knn(knn -> {
                    knn.field(VECTOR).vector(vector).k(ef);
                    filter.ifPresent(knn::filter);
                    return knn;
                })));
    }

    /** A hit of the k-NN query; OpenSearch scores cosinesimil as (1 + cos) / 2, callers get the cosine itself. */
    public static VectorStore.Hit hit(Hit<StoredDocument> hit) {
        StoredDocument source = hit.source();
        double score = hit.score() == null ? 0 : hit.score();
        Map<String, String> attributes = source == null || source.attributes() == null ? Map.of()
                : new TreeMap<>(source.attributes());
        String imageId = source != null && source.imageId() != null ? source.imageId() : hit.id();
        Instant eventTime = source == null || source.eventTime() == null ? null
                : Instant.ofEpochMilli(source.eventTime());
        return new VectorStore.Hit(imageId, (float) (2 * score - 1), eventTime, attributes);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
