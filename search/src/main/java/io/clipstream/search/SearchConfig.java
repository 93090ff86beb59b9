package io.clipstream.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Search settings ({@code clipstream.search.*}); where model versions come from is {@link ModelConfig}. */
@ConfigMapping(prefix = "clipstream.search")
public interface SearchConfig {

    /**
     * The consumer group of clipstream.embeddings. With Lucene its committed offsets are for lag only (the index keeps
     * its own); with OpenSearch they are the positions, committed after each acknowledged bulk write.
     */
    @WithDefault("clipstream-search")
    String groupId();

    /** Which index holds the vectors: the embedded Lucene index (one machine) or an OpenSearch cluster. */
    @WithDefault("lucene")
    Backend backend();

    /** The service's state folder: the Lucene index lives in {@code <state-dir>/index}. */
    Path stateDir();

    /** The OpenSearch cluster, with {@code backend=opensearch}. */
    OpenSearch opensearch();

    Index index();

    Query query();

    /** Model versions whose text and image towers queries are embedded with. */
    Versions versions();

    enum Backend { LUCENE, OPENSEARCH }

    interface OpenSearch {
        /** The cluster's address (a load balancer or one node), http or https. */
        @WithDefault("http://localhost:9200")
        URI url();

        /** Each model version's k-NN index is {@code <prefix>-<version>}. */
        @WithDefault("clipstream-embeddings")
        String indexPrefix();

        /** Basic authentication, where the cluster's security plugin asks for it. */
        Optional<String> username();

        Optional<String> password();

        /** The k-NN engine of new indexes: lucene (filters while it walks the graph) or faiss, both HNSW. */
        @WithDefault("lucene")
        String engine();

        /** Primary shards of each new version index. */
        @WithDefault("1")
        int shards();

        /** Replicas of each shard of a new version index. */
        @WithDefault("1")
        int replicas();

        /** Most documents in one bulk request (a commit of more sends several, all acknowledged before it counts). */
        @WithDefault("1000")
        int bulkMaxDocuments();
    }

    interface Index {
        /** Longest the embeddings read wait before they are committed (and durable) with their offsets. */
        @WithDefault("1s")
        Duration commitInterval();

        /** Most embeddings read before a commit, whatever the interval. */
        @WithDefault("5000")
        int commitMaxRecords();

        /** Longest an embedding read waits before queries see it (a refresh, not a commit). */
        @WithDefault("500ms")
        Duration refreshInterval();

        /** HNSW: neighbours per node (M), also of new OpenSearch indexes. */
        @WithDefault("16")
        int maxConnections();

        /** HNSW: candidates while building (efConstruction), also of new OpenSearch indexes. */
        @WithDefault("100")
        int beamWidth();

        /**
         * How long a model version that is not the serving one keeps its vectors after its last embedding was
         * indexed; then they are deleted. The serving version is never deleted.
         */
        @WithDefault("30d")
        Duration retention();
    }

    interface Query {
        /** Results when the request names no {@code k}. */
        @WithDefault("10")
        int defaultK();

        /** Most results one request may ask for. */
        @WithDefault("100")
        int maxK();

        /** Longest query text, in characters (CLIP reads 77 tokens; longer texts are cut after tokenizing). */
        @WithDefault("1000")
        int maxTextLength();

        /** Image queries decoded and embedded at once (each holds a decoded image): more wait their turn. */
        @WithDefault("2")
        int maxConcurrentImages();

        /**
         * Nearest candidates kept while the HNSW graph is walked (ef; at least k): the recall/latency trade-off
         * (VectorIndexBench: 100k random 512-d vectors, recall@10 0.18 at 10, 0.42 at 100).
         */
        @WithDefault("100")
        int candidates();

        /** Most attribute filters in one request. */
        @WithDefault("16")
        int maxFilters();
    }

    interface Versions {
        /** Model versions held loaded at once (least recently used ones are released). */
        @WithDefault("2")
        int loaded();

        /** How long a version that could not be loaded is answered as unavailable before it is tried again. */
        @WithDefault("1m")
        Duration unavailableRetry();
    }
}
