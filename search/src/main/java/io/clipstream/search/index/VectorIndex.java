package io.clipstream.search.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded vector index: one Lucene index on local disk, in which every model version has its own HNSW vector
 * field ({@code vector.<version>}, cosine) and so its own graph: a query of one version never meets vectors of
 * another, and versions may differ in dimensions. One index rather than one per version because then one Lucene
 * commit holds every version's vectors together with the stream positions they were read up to (the commit's user
 * data, as Kafka Connect sinks keep theirs): a restart resumes exactly there, with nothing lost and nothing indexed
 * twice (a replayed embedding replaces its document: the document key is version + image id).
 *
 * <p>Thread-safe: the stream adds and commits, HTTP threads search through a {@link SearcherManager}; what was added
 * becomes searchable at the next {@link #refresh()} or {@link #commit}. Its positions are {@link Positions#IN_STORE}.
 */
public final class VectorIndex implements VectorStore {

    /**
     * HNSW graph settings: {@code maxConnections} (M) and {@code beamWidth} (efConstruction), Lucene's defaults 16
     * and 100.
     */
    public record Settings(int maxConnections, int beamWidth) {
        public static final Settings DEFAULT = new Settings(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
                Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
    }

    static final String UID = "uid";
    static final String IMAGE_ID = "image_id";
    static final String VERSION = "model_version";
    static final String EVENT_TIME = "event_time";
    static final String ATTRIBUTE_PREFIX = "attr.";
    static final String VECTOR_PREFIX = "vector.";
    /** User data: the next offset to read of each partition. */
    static final String POSITION_PREFIX = "position.";
    /** User data: when a version last had an embedding indexed (epoch millis), for retention. */
    static final String LAST_INDEXED_PREFIX = "last-indexed.";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final int maxDimensions;
    /** Committed user data: stream positions and last-indexed times, as of the last commit plus this run's. */
    private final Map<String, String> committed = new TreeMap<>();
    private final Map<String, Instant> lastIndexed = new HashMap<>();
    private final Map<String, Integer> dimensions = new HashMap<>();

    private VectorIndex(Directory directory, IndexWriter writer, int maxDimensions) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.maxDimensions = maxDimensions;
        this.searchers = new SearcherManager(writer, null);
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            data.forEach(e -> committed.put(e.getKey(), e.getValue()));
        }
        committed.forEach((key, value) -> {
            if (key.startsWith(LAST_INDEXED_PREFIX)) {
                lastIndexed.put(key.substring(LAST_INDEXED_PREFIX.length()), Instant.ofEpochMilli(Long.parseLong(value)));
            }
        });
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                for (FieldInfo field : leaf.reader().getFieldInfos()) {
                    if (field.name.startsWith(VECTOR_PREFIX) && field.getVectorDimension() > 0) {
                        dimensions.put(field.name.substring(VECTOR_PREFIX.length()), field.getVectorDimension());
                    }
                }
            }
            // A version deleted by retention may leave its field behind in merged segments, with no documents.
            for (String version : List.copyOf(dimensions.keySet())) {
                if (searcher.count(new TermQuery(new Term(VERSION, version))) == 0) {
                    dimensions.remove(version);
                }
            }
        } finally {
            searchers.release(searcher);
        }
    }

    /** Opens (or creates) the index in {@code folder}. */
    public static VectorIndex open(Path folder, Settings settings) throws IOException {
        KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(settings.maxConnections(), settings.beamWidth());
        // The default codec with our graph settings; it keeps the default codec's name, and each vector field
        // records its format by name, so the index reads back with the default codec.
        Codec codec = new FilterCodec(Codec.getDefault().getName(), Codec.getDefault()) {
            private final KnnVectorsFormat perField = new PerFieldKnnVectorsFormat() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return hnsw;
                }
            };

            @Override
            public KnnVectorsFormat knnVectorsFormat() {
                return perField;
            }
        };
        IndexWriterConfig config = new IndexWriterConfig().setCodec(codec)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCommitOnClose(false);
        Directory directory = FSDirectory.open(folder);
        IndexWriter writer;
        try {
            writer = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        try {
            return new VectorIndex(directory, writer, hnsw.getMaxDimensions(VECTOR_PREFIX));
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            directory.close();
            throw e;
        }
    }

    @Override
    public Positions positions() {
        return Positions.IN_STORE;
    }

    /** The most dimensions a vector may have (Lucene's HNSW format limit). */
    public int maxDimensions() {
        return maxDimensions;
    }

    /**
     * Why {@code entry} cannot be indexed (its vector's dimensions differ from those its version has here, or are too
     * many), if it cannot.
     */
    @Override
    public synchronized Optional<String> problem(Entry entry) {
        return entry.dimensionProblem(maxDimensions, "the index takes", dimensions.get(entry.modelVersion()));
    }

    /**
     * Adds (or replaces: same version and image id) one embedding; searchable after the next refresh, durable after
     * the next commit.
     *
     * @throws IllegalArgumentException when {@link #problem(Entry)} names one
     */
    @Override
    public void add(Entry entry, Instant indexedAt) throws IOException {
        synchronized (this) {
            Optional<String> problem = problem(entry);
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get());
            }
            dimensions.put(entry.modelVersion(), entry.vector().length);
            lastIndexed.merge(entry.modelVersion(), indexedAt, (a, b) -> a.isAfter(b) ? a : b);
        }
        Document document = new Document();
        document.add(new StringField(UID, uid(entry.modelVersion(), entry.imageId()), Field.Store.NO));
        document.add(new StringField(IMAGE_ID, entry.imageId(), Field.Store.YES));
        document.add(new StringField(VERSION, entry.modelVersion(), Field.Store.YES));
        document.add(new StoredField(EVENT_TIME, entry.eventTime().toEpochMilli()));
        entry.attributes().forEach((name, value) ->
                document.add(new StringField(ATTRIBUTE_PREFIX + name, value, Field.Store.YES)));
        document.add(new KnnFloatVectorField(VECTOR_PREFIX + entry.modelVersion(), entry.vector(),
                VectorSimilarityFunction.COSINE));
        writer.updateDocument(new Term(UID, uid(entry.modelVersion(), entry.imageId())), document);
    }

    /** Removes every embedding of {@code version} (retention), at the next commit. */
    @Override
    public void deleteVersion(String version) throws IOException {
        writer.deleteDocuments(new Term(VERSION, version));
        synchronized (this) {
            lastIndexed.remove(version);
            dimensions.remove(version);
        }
    }

    /**
     * Makes what was added durable together with {@code positions} (the next offset of each partition read, keyed
     * as {@link #positionKey}); positions of partitions not named keep their committed value. Then refreshes. Refuses
     * nothing here: what Lucene cannot take is found by {@link #problem} before it is added.
     */
    @Override
    public List<Refusal> commit(Map<String, Long> positions) throws IOException {
        Map<String, String> data;
        synchronized (this) {
            positions.forEach((partition, offset) -> committed.put(POSITION_PREFIX + partition, Long.toString(offset)));
            committed.keySet().removeIf(key -> key.startsWith(LAST_INDEXED_PREFIX)
                    && !lastIndexed.containsKey(key.substring(LAST_INDEXED_PREFIX.length())));
            lastIndexed.forEach((version, at) -> committed.put(LAST_INDEXED_PREFIX + version,
                    Long.toString(at.toEpochMilli())));
            data = new TreeMap<>(committed);
        }
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        refresh();
        return List.of();
    }

    /** Makes what was added searchable (not durable). */
    @Override
    public void refresh() throws IOException {
        searchers.maybeRefresh();
    }

    /** The key of a partition's position in the commit: {@code <topic>:<partition>}. */
    public static String positionKey(String topic, int partition) {
        return VectorStore.positionKey(topic, partition);
    }

    /** The committed position (next offset to read) of a partition, if the index has one. */
    @Override
    public synchronized Optional<Long> committedPosition(String topic, int partition) {
        return Optional.ofNullable(committed.get(POSITION_PREFIX + positionKey(topic, partition))).map(Long::parseLong);
    }

    /** Every committed position, by {@link #positionKey}. */
    public synchronized Map<String, Long> committedPositions() {
        Map<String, Long> positions = new TreeMap<>();
        committed.forEach((key, value) -> {
            if (key.startsWith(POSITION_PREFIX)) {
                positions.put(key.substring(POSITION_PREFIX.length()), Long.parseLong(value));
            }
        });
        return positions;
    }

    /**
     * The {@code k} nearest images of {@code version} to {@code query} (approximate: HNSW), those whose attributes
     * hold every pair of {@code filters}. Empty when the version has nothing here.
     */
    public List<Hit> search(String version, float[] query, int k, Map<String, String> filters) throws IOException {
        return search(version, query, k, k, filters);
    }

    /**
     * As {@link #search(String, float[], int, Map)}, the graph walked with {@code candidates} (≥ k) nearest kept at
     * each step (HNSW's ef): more candidates, better recall, slower queries.
     */
    @Override
    public List<Hit> search(String version, float[] query, int k, int candidates, Map<String, String> filters)
            throws IOException {
        Integer dims;
        synchronized (this) {
            dims = dimensions.get(version);
        }
        if (dims == null) {
            return List.of();
        }
        if (dims != query.length) {
            throw new IllegalArgumentException("the query has " + query.length + " dimensions, model version "
                    + version + " has " + dims);
        }
        Query filter = null;
        if (!filters.isEmpty()) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            filters.forEach((name, value) ->
                    all.add(new TermQuery(new Term(ATTRIBUTE_PREFIX + name, value)), BooleanClause.Occur.FILTER));
            filter = all.build();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            int ef = Math.max(k, candidates);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR_PREFIX + version, query, ef, filter), k);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(Math.min(k, top.scoreDocs.length));
            for (ScoreDoc scored : top.scoreDocs) {
                if (hits.size() == k) {
                    break;
                }
                hits.add(hit(stored.document(scored.doc), scored.score));
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    private static Hit hit(Document document, float luceneScore) {
        Map<String, String> attributes = new TreeMap<>();
        for (IndexableField field : document) {
            if (field.name().startsWith(ATTRIBUTE_PREFIX)) {
                attributes.put(field.name().substring(ATTRIBUTE_PREFIX.length()), field.stringValue());
            }
        }
        IndexableField time = document.getField(EVENT_TIME);
        // Lucene scores cosine as (1 + cos) / 2, to stay positive; callers get the cosine itself.
        return new Hit(document.get(IMAGE_ID), 2 * luceneScore - 1,
                time == null ? null : Instant.ofEpochMilli(time.numericValue().longValue()), attributes);
    }

    /** The versions the index holds (searchable now), by name. */
    @Override
    public Map<String, VersionStats> versions() throws IOException {
        Map<String, Integer> dims;
        Map<String, Instant> last;
        synchronized (this) {
            dims = new TreeMap<>(dimensions);
            last = new HashMap<>(lastIndexed);
        }
        Map<String, VersionStats> versions = new TreeMap<>();
        IndexSearcher searcher = searchers.acquire();
        try {
            for (Map.Entry<String, Integer> version : dims.entrySet()) {
                long documents = searcher.count(new TermQuery(new Term(VERSION, version.getKey())));
                versions.put(version.getKey(), new VersionStats(version.getKey(), version.getValue(), documents,
                        Optional.ofNullable(last.get(version.getKey()))));
            }
        } finally {
            searchers.release(searcher);
        }
        return Collections.unmodifiableMap(versions);
    }

    /** When each version last had an embedding indexed (this run or a committed one). */
    @Override
    public synchronized Map<String, Instant> lastIndexed() {
        return Map.copyOf(lastIndexed);
    }

    /** Searchable documents of every version. */
    @Override
    public long documents() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uid(String version, String imageId) {
        return version + '\u0000' + imageId;
    }

    /** Closes WITHOUT committing: what was not committed is read again from the stream on the next start. */
    @Override
    public void close() throws IOException {
        try {
            searchers.close();
        } finally {
            try {
                writer.rollback();
            } finally {
                directory.close();
            }
        }
    }
}
