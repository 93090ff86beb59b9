package io.clipstream.classifier.scoring;

import io.clipstream.classifier.labelset.LabelSets;
import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.EmbeddingCheck;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.ScoredLabel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Classifies a batch of image embeddings under every label set that applies to each: embeddings are grouped by
 * model version, the label embeddings come from THAT version's text encoder, and each (version, label set) pair is
 * scored as one matrix product over all its images. Every embedding gets exactly one {@link Outcome}.
 */
public final class BatchClassifier {

    private static final Logger LOG = Logger.getLogger(BatchClassifier.class);

    /** What became of one embedding. */
    public sealed interface Outcome {
    }

    /** Classified under every applicable label set (none applying gives an empty list). */
    public record Classified(List<Classification> classifications) implements Outcome {
    }

    /** Its model version's text encoder cannot be had, or its vector does not fit that version. */
    public record VersionUnavailable(String modelVersion, String message) implements Outcome {
    }

    /** Scoring failed unexpectedly (a bug or the engine): rejected with the message, so it can be replayed. */
    public record Failed(String modelVersion, String message) implements Outcome {
    }

    /** The label embeddings of a set that applies are still being built: classify it again at a later batch. */
    public record Deferred(String modelVersion, String labelSetId) implements Outcome {
    }

    private final ModelVersions versions;
    private final LabelEmbeddingCache labelEmbeddings;
    private final Clock clock;
    private final Duration labelEmbeddingWait;

    /** Waits as long as label embeddings take to build (a cache that builds on the caller's thread never defers). */
    public BatchClassifier(ModelVersions versions, LabelEmbeddingCache labelEmbeddings, Clock clock) {
        this(versions, labelEmbeddings, clock, Duration.ofDays(1));
    }

    /** @param labelEmbeddingWait the longest one batch waits for label embeddings being built, all sets together */
    public BatchClassifier(ModelVersions versions, LabelEmbeddingCache labelEmbeddings, Clock clock,
            Duration labelEmbeddingWait) {
        this.versions = versions;
        this.labelEmbeddings = labelEmbeddings;
        this.clock = clock;
        this.labelEmbeddingWait = labelEmbeddingWait;
    }

    /** Label-embedding builds finished off the caller's thread: embeddings deferred before are worth a new look. */
    public long finishedLabelEmbeddingBuilds() {
        return labelEmbeddings.finishedBuilds();
    }

    /**
     * @param batch     valid embeddings ({@link EmbeddingCheck})
     * @param labelSets the current label sets
     * @return one outcome per embedding, in the batch's order
     */
    public List<Outcome> classify(List<ImageEmbedding> batch, List<LabelSet> labelSets) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the record keeps
        Outcome[] outcomes = new Outcome[batch.size()];
        Map<String, List<Integer>> byVersion = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byVersion.computeIfAbsent(batch.get(i).getModelVersion(), v -> new ArrayList<>()).add(i);
        }
        long deadline = System.nanoTime() + Math.min(labelEmbeddingWait.toNanos(), Long.MAX_VALUE / 4);
        byVersion.forEach((version, members) -> classifyVersion(version, members, batch, labelSets, now, deadline,
                outcomes));
        return Arrays.asList(outcomes);
    }

    private void classifyVersion(String version, List<Integer> members, List<ImageEmbedding> batch,
            List<LabelSet> labelSets, Instant now, long deadline, Outcome[] outcomes) {
        List<Applicable> applicable = new ArrayList<>();
        for (LabelSet set : labelSets) {
            if (set.getLabels().isEmpty()) {
                continue;
            }
            List<Integer> images = members.stream()
                    .filter(i -> LabelSets.appliesTo(set, batch.get(i).getAttributes())).toList();
            if (!images.isEmpty()) {
                applicable.add(new Applicable(set, images));
            }
        }
        Map<Integer, List<Classification>> results = new LinkedHashMap<>();
        members.forEach(i -> results.put(i, new ArrayList<>()));
        // Only images some set applies to need the model: the others are done whatever becomes of the version, so
        // whether an image is rejected never depends on what else shared its batch.
        Set<Integer> needModel = new TreeSet<>();
        applicable.forEach(entry -> needModel.addAll(entry.images()));
        if (needModel.isEmpty()) {
            results.forEach((i, none) -> outcomes[i] = new Classified(List.of()));
            return;
        }
        try (LeasedLru.Lease<ServedModel> model = versions.acquire(version)) {
            int dimension = model.value().config().embedDim();
            for (Applicable entry : applicable) {
                List<Integer> images = new ArrayList<>();
                for (int i : entry.images()) {
                    int size = batch.get(i).getVector().size();
                    if (size == dimension) {
                        images.add(i);
                    } else if (outcomes[i] == null) {
                        outcomes[i] = new VersionUnavailable(version, "the embedding has " + size
                                + " dimensions but model version " + version + " embeds into " + dimension);
                    }
                }
                if (!images.isEmpty() && !score(entry.set(), model.value(), images, batch, now, deadline, results)) {
                    for (int i : images) {
                        if (outcomes[i] == null) {
                            outcomes[i] = new Deferred(version, entry.set().getId());
                        }
                    }
                }
            }
        } catch (ModelVersionUnavailableException e) {
            for (int i : needModel) {
                outcomes[i] = new VersionUnavailable(version, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "classifying %d embeddings of model version %s failed", needModel.size(), version);
            for (int i : needModel) {
                outcomes[i] = new Failed(version, "classification failed: " + e);
            }
        }
        results.forEach((i, classifications) -> {
            if (outcomes[i] == null) {
                outcomes[i] = new Classified(List.copyOf(classifications));
            }
        });
    }

    private record Applicable(LabelSet set, List<Integer> images) {
    }

    /** Scores {@code images} under {@code set}; false when its label embeddings are not built by {@code deadline}. */
    private boolean score(LabelSet set, ServedModel model, List<Integer> images, List<ImageEmbedding> batch,
            Instant now, long deadline, Map<Integer, List<Classification>> results) {
        Duration wait = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        Optional<LeasedLru.Lease<LabelEmbeddings>> built = labelEmbeddings.acquireWithin(set, model.version(),
                () -> versions.acquire(model.version()), wait);
        if (built.isEmpty()) {
            LOG.debugf("label embeddings of %s (revision %d) under model version %s not built yet: %d embeddings wait",
                    set.getId(), set.getRevision(), model.version(), images.size());
            return false;
        }
        try (LeasedLru.Lease<LabelEmbeddings> lease = built.get()) {
            LabelEmbeddings labels = lease.value();
            int dimension = labels.dimension();
            float[] matrix = new float[images.size() * dimension];
            for (int row = 0; row < images.size(); row++) {
                List<Float> vector = batch.get(images.get(row)).getVector();
                for (int d = 0; d < dimension; d++) {
                    matrix[row * dimension + d] = vector.get(d);
                }
            }
            Scores scores = ZeroShotScorer.score(matrix, images.size(), labels);
            float threshold = set.getMinProbability() == null ? 0f : set.getMinProbability();
            for (int row = 0; row < images.size(); row++) {
                List<ScoredLabel> top = new ArrayList<>();
                for (int label : scores.topK(row, set.getTopK())) {
                    float probability = scores.probability(row, label);
                    if (probability >= threshold) {
                        top.add(new ScoredLabel(labels.names().get(label), probability, scores.similarity(row, label)));
                    }
                }
                ImageEmbedding embedding = batch.get(images.get(row));
                results.get(images.get(row)).add(Classification.newBuilder()
                        .setImageId(embedding.getImageId())
                        .setLabelSetId(set.getId())
                        .setLabelSetRevision(set.getRevision())
                        .setModelVersion(embedding.getModelVersion())
                        .setLabels(top)
                        .setEventTime(embedding.getEventTime())
                        .setEmbeddedTime(embedding.getEmbeddedTime())
                        .setClassifiedTime(now)
                        .setAttributes(embedding.getAttributes())
                        .build());
            }
        }
        return true;
    }
}