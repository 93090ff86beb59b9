package io.clipstream.search;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.search.index.VectorStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Text → image and image → image search: the query is embedded with the text (or image) tower of the model version
 * asked for, by default the serving one, and looked up among that version's vectors only. Knows nothing of HTTP or
 * Kafka.
 */
public final class SearchService {

    /** The answer: which version answered, and the hits, best first. */
    public record Result(String modelVersion, int k, List<VectorStore.Hit> hits, double tookMillis) {
    }

    /** A request that cannot be answered as asked (a bad parameter): the message says why. */
    public static final class BadQueryException extends RuntimeException {
        public BadQueryException(String message) {
            super(message);
        }
    }

    /** No version to answer with, or the version asked for has nothing indexed. */
    public static final class NoSuchVersionException extends RuntimeException {
        public NoSuchVersionException(String message) {
            super(message);
        }
    }

    /** Limits of a query. */
    public record Limits(int defaultK, int maxK, int maxTextLength, int maxFilters, int maxConcurrentImages,
            int candidates) {
    }

    private final VectorStore index;
    private final ModelVersions versions;
    private final Supplier<Optional<String>> servingVersion;
    private final Limits limits;
    private final Semaphore imageSlots;

    /**
     * @param servingVersion the rolled-out version, if one is named (the rollout file or configuration)
     */
    public SearchService(VectorStore index, ModelVersions versions, Supplier<Optional<String>> servingVersion,
            Limits limits) {
        this.index = index;
        this.versions = versions;
        this.servingVersion = servingVersion;
        this.limits = limits;
        this.imageSlots = new Semaphore(limits.maxConcurrentImages(), true);
    }

    public Result byText(String text, Optional<Integer> k, Optional<String> version, Map<String, String> filters)
            throws IOException {
        if (text == null || text.isBlank()) {
            throw new BadQueryException("the query text is empty: say what to find, e.g. text=a red car");
        }
        if (text.length() > limits.maxTextLength()) {
            throw new BadQueryException("the query text has " + text.length() + " characters, more than the "
                    + limits.maxTextLength() + " accepted");
        }
        long start = System.nanoTime();
        int topK = checkK(k);
        checkFilters(filters);
        String answering = answeringVersion(version);
        float[] query;
        try (LeasedLru.Lease<ServedModel> model = versions.acquire(answering);
                NDManager scope = NDManager.newBaseManager()) {
            query = model.value().embedTexts(scope, List.of(text)).toFloatArray();
        }
        return search(answering, query, topK, filters, start);
    }

    public Result byImage(byte[] image, Optional<Integer> k, Optional<String> version, Map<String, String> filters)
            throws IOException, InterruptedException {
        if (image == null || image.length == 0) {
            throw new BadQueryException("the request body is empty: send the encoded image (JPEG, PNG, …)");
        }
        long start = System.nanoTime();
        int topK = checkK(k);
        checkFilters(filters);
        String answering = answeringVersion(version);
        float[] query;
        imageSlots.acquire();
        try (LeasedLru.Lease<ServedModel> model = versions.acquire(answering);
                NDManager scope = NDManager.newBaseManager()) {
            RgbImage prepared;
            try {
                prepared = model.value().transform().preprocess(image);
            } catch (InvalidImageException e) {
                throw new BadQueryException("the image cannot be read: " + e.reason() + ": " + e.getMessage());
            }
            query = model.value().embedImages(scope, List.of(prepared)).toFloatArray();
        } finally {
            imageSlots.release();
        }
        return search(answering, query, topK, filters, start);
    }

    /**
     * The version a query is answered with: the one asked for, else the serving one, else (nothing rolled out, as
     * in a local run that never rolled one) the version whose embeddings were indexed last.
     */
    public String answeringVersion(Optional<String> requested) throws IOException {
        Optional<String> asked = requested.map(String::strip).filter(v -> !v.isEmpty());
        if (asked.isPresent()) {
            if (!index.versions().containsKey(asked.get())) {
                throw new NoSuchVersionException("no embeddings of model version " + asked.get() + " are indexed; "
                        + "indexed versions: " + index.versions().keySet());
            }
            return asked.get();
        }
        Optional<String> serving = servingVersion.get();
        if (serving.isPresent()) {
            return serving.get();
        }
        return index.lastIndexed().entrySet().stream().max(Map.Entry.comparingByValue(Comparator.<Instant>naturalOrder()))
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new NoSuchVersionException("nothing is indexed yet and no model version is rolled "
                        + "out (clipstream.model.checkpoint): publish images, or name a version"));
    }

    private Result search(String version, float[] query, int k, Map<String, String> filters, long start)
            throws IOException {
        List<VectorStore.Hit> hits = index.search(version, query, k, limits.candidates(), filters);
        return new Result(version, k, hits, (System.nanoTime() - start) / 1e6);
    }

    private int checkK(Optional<Integer> k) {
        int value = k.orElse(limits.defaultK());
        if (value < 1 || value > limits.maxK()) {
            throw new BadQueryException("k must be between 1 and " + limits.maxK() + ", was " + value);
        }
        return value;
    }

    private void checkFilters(Map<String, String> filters) {
        if (filters.size() > limits.maxFilters()) {
            throw new BadQueryException(filters.size() + " attribute filters, more than the " + limits.maxFilters()
                    + " accepted");
        }
    }
}
