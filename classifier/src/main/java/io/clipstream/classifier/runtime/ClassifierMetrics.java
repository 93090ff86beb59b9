package io.clipstream.classifier.runtime;

import io.clipstream.classifier.labelset.LabelSets;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the classifier. Every embedding read is counted once as classified (under at least one
 * label set), unmatched (no label set applies), duplicate (its image and model version were classified within the
 * dedupe window) or rejected (by reason); classifications count one per image and label set, so their rate is the
 * classifications per second.
 */
public final class ClassifierMetrics {

    private final MeterRegistry registry;
    private final Counter in;
    private final Counter classified;
    private final Counter unmatched;
    private final Counter classifications;
    private final Counter duplicates;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer latency;
    private final DistributionSummary batchSize;
    private final Timer batchTime;
    private final Counter deferred;
    private final java.util.concurrent.atomic.AtomicInteger refusedLabelSets = new java.util.concurrent.atomic.AtomicInteger();
    /** Top-1 counters by label set and label; only labels of configured sets, so the series stay bounded. */
    private final Map<String, TopLabels> topLabels = new ConcurrentHashMap<>();

    private record TopLabels(long revision, Map<String, Counter> byLabel) {
    }

    public ClassifierMetrics(MeterRegistry registry, LabelEmbeddingCache cache, ModelVersions versions) {
        this.registry = registry;
        in = Counter.builder("clipstream.classifier.embeddings.in").description("Embeddings read from embeddings")
                .register(registry);
        classified = Counter.builder("clipstream.classifier.embeddings.classified")
                .description("Embeddings classified under at least one label set").register(registry);
        unmatched = Counter.builder("clipstream.classifier.embeddings.unmatched")
                .description("Embeddings no enabled label set applies to (attribute filters)").register(registry);
        duplicates = Counter.builder("clipstream.classifier.embeddings.duplicates")
                .description("Embeddings of an image and model version already classified within the dedupe window: "
                        + "classified only under label sets that came since").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("clipstream.classifier.embeddings.rejected").tag("reason", reason.name())
                    .description("Embeddings written to embeddings.rejected").register(registry));
        }
        classifications = Counter.builder("clipstream.classifier.classifications")
                .description("Classifications written (one per image and label set)").register(registry);
        latency = Timer.builder("clipstream.classifier.latency")
                .description("From an image's event time to its classification").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        batchSize = DistributionSummary.builder("clipstream.classifier.batch.size")
                .description("Embeddings scored together").publishPercentileHistogram().maximumExpectedValue(4096.0)
                .register(registry);
        batchTime = Timer.builder("clipstream.classifier.batch.time")
                .description("Time to classify one batch (label embeddings built on a miss included)")
                .publishPercentileHistogram().register(registry);
        deferred = Counter.builder("clipstream.classifier.embeddings.deferred")
                .description("Times an embedding was kept for a later batch: label embeddings it needs were still being built")
                .register(registry);
        Gauge.builder("clipstream.classifier.label.sets.refused", refusedLabelSets, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Label sets on the topic over a cap (max-labels, max-templates, max-prompts, max-label-sets): "
                        + "they classify nothing").register(registry);
        Gauge.builder("clipstream.classifier.label.embeddings.building", cache, LabelEmbeddingCache::building)
                .description("Label embeddings being built off the stream thread").register(registry);
        FunctionCounter.builder("clipstream.classifier.label.embeddings.cache", cache, LabelEmbeddingCache::hits)
                .tag("result", "hit").description("Label embeddings found built for (label set, revision, model version)")
                .register(registry);
        FunctionCounter.builder("clipstream.classifier.label.embeddings.cache", cache, LabelEmbeddingCache::misses)
                .tag("result", "miss").description("Label embeddings built with a text encoder").register(registry);
        Gauge.builder("clipstream.classifier.model.versions.loaded", versions, v -> v.loadedVersions().size())
                .description("Model versions whose text encoder is loaded").register(registry);
    }

    /** 1 for the precision label embeddings are computed in (tag precision; clipstream.model.precision). */
    void precision(Precision precision) {
        Gauge.builder("clipstream.classifier.model.precision", () -> 1).tag("precision", precision.label())
                .description("1 for the precision label embeddings are computed in (clipstream.model.precision)")
                .register(registry);
    }

    public void in() {
        in.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void classified(List<Classification> results) {
        if (results.isEmpty()) {
            unmatched.increment();
            return;
        }
        classified.increment();
        countClassifications(results);
    }

    /** A duplicate embedding, and the classifications it still gave (under label sets that came since). */
    public void duplicate(List<Classification> fresh) {
        duplicates.increment();
        countClassifications(fresh);
    }

    private void countClassifications(List<Classification> results) {
        for (Classification classification : results) {
            classifications.increment();
            Duration latency = Duration.between(classification.getEventTime(), classification.getClassifiedTime());
            this.latency.record(latency.isNegative() ? Duration.ZERO : latency); // a producer's clock may run ahead
            if (!classification.getLabels().isEmpty()) {
                TopLabels labels = topLabels.get(classification.getLabelSetId());
                Counter top = labels == null ? null : labels.byLabel().get(classification.getLabels().get(0).getLabel());
                if (top != null) {
                    top.increment();
                }
            }
        }
    }

    public void deferred(int count) {
        deferred.increment(count);
    }

    public void refusedLabelSets(int count) {
        refusedLabelSets.set(count);
    }

    public int refusedLabelSetCount() {
        return refusedLabelSets.get();
    }

    public Timer batchTime() {
        return batchTime;
    }

    public void batch(int size) {
        batchSize.record(size);
    }

    /**
     * Keeps one top-1 counter per label of the given (current) label sets and removes those of deleted or changed
     * sets, so label names from anywhere else never become series.
     */
    public synchronized void labelSets(List<LabelSet> current) {
        Set<String> ids = new HashSet<>();
        for (LabelSet set : current) {
            ids.add(set.getId());
            TopLabels known = topLabels.get(set.getId());
            if (known != null && known.revision() == set.getRevision()) {
                continue;
            }
            Map<String, Counter> byLabel = new ConcurrentHashMap<>();
            for (String label : LabelSets.names(set)) {
                Counter kept = known == null ? null : known.byLabel().remove(label);
                byLabel.put(label, kept != null ? kept : Counter.builder("clipstream.classifier.top.label")
                        .tag("label_set", set.getId()).tag("label", label)
                        .description("Classifications whose most probable label this is").register(registry));
            }
            if (known != null) {
                known.byLabel().values().forEach(registry::remove); // labels the new revision dropped
            }
            topLabels.put(set.getId(), new TopLabels(set.getRevision(), byLabel));
        }
        topLabels.entrySet().removeIf(entry -> {
            if (ids.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().byLabel().values().forEach(registry::remove);
            return true;
        });
    }

    public double inCount() {
        return in.count();
    }

    public double classifiedCount() {
        return classified.count();
    }

    public double unmatchedCount() {
        return unmatched.count();
    }

    public double rejectedCount() {
        return rejected.values().stream().mapToDouble(Counter::count).sum();
    }

    public double duplicateCount() {
        return duplicates.count();
    }

    public double classificationCount() {
        return classifications.count();
    }

    /** The top-1 count of a label, or -1 when no such series exists. */
    public double topLabelCount(String labelSetId, String label) {
        TopLabels labels = topLabels.get(labelSetId);
        Counter counter = labels == null ? null : labels.byLabel().get(label);
        return counter == null ? -1 : counter.count();
    }
}
