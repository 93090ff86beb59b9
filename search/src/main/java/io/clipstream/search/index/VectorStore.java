package io.clipstream.search.index;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the indexer and the queries need of a vector index, whichever holds the vectors: the embedded Lucene index
 * ({@link VectorIndex}, the default) or an OpenSearch cluster ({@link OpenSearchIndex}). Vectors are kept per model
 * version (a query of one version never meets another's), keyed by version and image id, so that an embedding read
 * again replaces its own document.
 */
public interface VectorStore extends AutoCloseable {

    /** One image embedding to index. */
    record Entry(String imageId, String modelVersion, float[] vector, Instant eventTime,
            Map<String, String> attributes) {

        /**
         * Why this entry's vector cannot be stored beside its version's (null: none yet): more dimensions than
         * {@code maxDimensions} ({@code limit} names who sets it), or other dimensions than the version has.
         */
        Optional<String> dimensionProblem(int maxDimensions, String limit, Integer versionDimensions) {
            int length = vector.length;
            if (length > maxDimensions) {
                return Optional.of("the embedding of " + imageId + " has " + length + " dimensions, more than the "
                        + maxDimensions + " " + limit);
            }
            if (versionDimensions != null && versionDimensions != length) {
                return Optional.of("the embedding of " + imageId + " has " + length + " dimensions, but model "
                        + "version " + modelVersion + " has " + versionDimensions + " in the index");
            }
            return Optional.empty();
        }
    }

    /** A search result: cosine similarity in [-1, 1], highest first. */
    record Hit(String imageId, float score, Instant eventTime, Map<String, String> attributes) {
    }

    /** What the index holds of one model version. */
    record VersionStats(String version, int dimensions, long documents, Optional<Instant> lastIndexed) {
    }

    /** An embedding that the store refused when the batch was written, and why: the record's fault, not the store's. */
    record Refusal(Entry entry, String reason) {
    }

    /** Where the stream positions a restart resumes from are kept. */
    enum Positions {
        /** In the store's own commits ({@link #committedPosition}): the consumer is seeked there. */
        IN_STORE,
        /** In the Kafka consumer group's committed offsets, committed only after {@link #commit} returned. */
        IN_CONSUMER_GROUP
    }

    Positions positions();

    /** Why {@code entry} cannot be indexed (its dimensions), if the store can tell before it is written. */
    Optional<String> problem(Entry entry);

    /**
     * Adds (or replaces: same version and image id) one embedding, durable after the next {@link #commit}.
     *
     * @throws IllegalArgumentException when {@link #problem(Entry)} names one
     */
    void add(Entry entry, Instant indexedAt) throws IOException;

    /** Removes every embedding of {@code version} (retention). */
    void deleteVersion(String version) throws IOException;

    /**
     * Makes what was added durable, with {@code positions} (the next offset of each partition read, keyed as
     * {@link #positionKey}) where the store keeps them. Returns the entries refused for what they are (each then
     * belongs in the rejected topic); throws when the batch as a whole is not durable (it is to be read again).
     */
    List<Refusal> commit(Map<String, Long> positions) throws IOException;

    /** Makes what was added searchable, where the store can without a commit. */
    void refresh() throws IOException;

    /** Forgets what was added since the last commit, where the store holds it apart (it is read again). */
    default void discardUncommitted() {
    }

    /** The committed position (next offset to read) of a partition, if the store keeps one. */
    Optional<Long> committedPosition(String topic, int partition);

    /**
     * The {@code k} nearest images of {@code version} to {@code query}, walking the graph with {@code candidates}
     * (≥ k) nearest kept (HNSW's ef), those whose attributes hold every pair of {@code filters}. Empty when the
     * version has nothing here.
     */
    List<Hit> search(String version, float[] query, int k, int candidates, Map<String, String> filters)
            throws IOException;

    /** The versions the store holds (searchable now), by name. */
    Map<String, VersionStats> versions() throws IOException;

    /** When each version last had an embedding indexed. */
    Map<String, Instant> lastIndexed();

    /** Searchable documents of every version. */
    long documents();

    @Override
    void close() throws IOException;

    /** The key of a partition's position: {@code <topic>:<partition>}. */
    static String positionKey(String topic, int partition) {
        return topic + ":" + partition;
    }
}
