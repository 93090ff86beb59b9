package io.clipstream.classifier.scoring;

import ai.djl.ndarray.NDManager;
import io.clipstream.classifier.labelset.LabelSets;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.DecodeBudgetExhaustedException;
import io.clipstream.model.image.ImageInfo;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.schemas.LabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot labels for one image in hand (an upload), computed on the calling thread rather than through the stream:
 * decoded and embedded with the image tower of a model version, scored against a label set's embeddings built with
 * the text tower of the SAME version, as the stream scores an embedding. A stored label set's embeddings come from
 * the cache the stream uses; labels typed for one request are encoded for it and let go.
 */
public final class ImageClassifier {

    /** One label of the answer, best first. */
    public record ScoredLabel(String label, float probability, float similarity) {
    }

    /**
     * @param modelVersion  the version that answered
     * @param labels        the top-k labels, best first
     * @param width         the decoded image's width, before resizing
     * @param height        its height
     * @param decodeMillis  decoding and preprocessing
     * @param modelMillis   the image tower, the label embeddings (when not cached) and the scoring
     */
    public record Result(String modelVersion, List<ScoredLabel> labels, int width, int height, long decodeMillis,
            long modelMillis) {
    }

    private final ModelVersions versions;
    private final LabelEmbeddingCache cache;
    private final DecodeBudget decodeBudget;
    private final Duration decodeWait;

    /**
     * @param decodeBudget what uploads being decoded at once may hold: the pixel limit alone lets a 16 × 2,400,000
     *                     image through, whose resize needs gigabytes
     * @param decodeWait   how long an upload waits for its share of the budget
     */
    public ImageClassifier(ModelVersions versions, LabelEmbeddingCache cache, DecodeBudget decodeBudget,
            Duration decodeWait) {
        this.versions = versions;
        this.cache = cache;
        this.decodeBudget = decodeBudget;
        this.decodeWait = decodeWait;
    }

    /**
     * @param set    the labels: a stored set (its embeddings are cached) or one made for this request
     * @param stored whether {@code set} is a stored set, whose embeddings the cache may keep
     * @param topK   labels in the answer (at most the set's)
     * @throws InvalidImageException             the bytes are no image this service decodes, or over the limits
     * @throws DecodeBudgetExhaustedException    too many large uploads are being decoded at once
     * @throws ModelVersionUnavailableException  the version cannot be loaded
     */
    public Result classify(byte[] encoded, LabelSet set, boolean stored, String version, int topK)
            throws InvalidImageException, InterruptedException {
        try (LeasedLru.Lease<ServedModel> lease = versions.acquire(version)) {
            ServedModel model = lease.value();
            long start = System.nanoTime();
            ImageInfo original = model.transform().decoder().inspect(encoded);
            RgbImage prepared = model.transform().preprocess(encoded, decodeBudget, decodeWait);
            long decoded = System.nanoTime();
            float[] embedding;
            try (GradMode off = GradMode.disabled(); NDManager scope = Engines.newManager()) {
                embedding = model.embedImages(scope, List.of(prepared)).toFloatArray();
            }
            Scores scores;
            try (GradMode off = GradMode.disabled()) {
                if (stored) {
                    try (LeasedLru.Lease<LabelEmbeddings> labels = cache.acquire(set, model)) {
                        scores = ZeroShotScorer.score(embedding, 1, labels.value());
                    }
                } else {
                    try (LabelEmbeddings labels = LabelEmbeddings.build(set, model)) {
                        scores = ZeroShotScorer.score(embedding, 1, labels);
                    }
                }
            }
            List<String> names = LabelSets.names(set);
            List<ScoredLabel> top = new ArrayList<>();
            for (int label : scores.topK(0, topK)) {
                top.add(new ScoredLabel(names.get(label), scores.probability(0, label), scores.similarity(0, label)));
            }
            long done = System.nanoTime();
            return new Result(model.version(), top, original.width(), original.height(),
                    (decoded - start) / 1_000_000, (done - decoded) / 1_000_000);
        }
    }
}
