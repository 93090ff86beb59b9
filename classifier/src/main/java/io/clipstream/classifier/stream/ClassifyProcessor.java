package io.clipstream.classifier.stream;

import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.EmbeddingCheck;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.stream.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Classifies embeddings in batches: each valid embedding waits in the buffer store until the batch is full or the
 * wall-clock punctuation fires, then the whole batch is scored against every applicable label set in one matrix
 * product per (model version, label set). Invalid records are rejected at once.
 *
 * <p>Why the buffer is a changelogged state store and not a list in memory: Kafka Streams commits the consumed
 * offsets whenever it likes (every {@code commit.interval.ms}); a record already committed but still waiting in a
 * list would be gone after a crash, because nobody reads it again. Under exactly-once every write to the buffer
 * store goes to its changelog inside the same transaction as the consumed offsets and the produced results. So at
 * any commit, each consumed embedding is either already classified (results committed, buffer entry deleted in the
 * same transaction) or still in the buffer's committed changelog, from which the next owner of the task restores
 * it and scores it at its first punctuation. Flushing before each commit would also work, but Kafka Streams offers
 * processors no hook before its commits.
 */
final class ClassifyProcessor implements Processor<String, byte[], String, Outcome<Classification>> {

    static final String SERVICE = "classifier";

    private final BatchClassifier classifier;
    private final ClassifierMetrics metrics;
    private final int maxBatch;
    private final Duration flushInterval;
    private final LabelSetAdmission admission;
    /** Label-embedding builds finished so far (off the stream thread): deferred embeddings are retried after one. */
    private final LongSupplier finishedBuilds;
    private final Duration dedupeWindow;
    private ClassifiedImages classifiedImages;
    private final AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);
    private ProcessorContext<String, Outcome<Classification>> context;
    private KeyValueStore<Long, BufferedEmbedding> buffer;
    private TimestampedKeyValueStore<String, LabelSet> labelSets;
    private long nextSequence;
    private int buffered;
    /** Of those, kept by the last flush because label embeddings they need were still being built. */
    private int deferred;
    /** The first sequence number after the last flush, and the builds finished before it. */
    private long flushedUpTo;
    private long buildsAtLastFlush;

    ClassifyProcessor(BatchClassifier classifier, ClassifierMetrics metrics, int maxBatch, Duration flushInterval,
            LabelSetLimits limits, LongSupplier finishedBuilds, Duration dedupeWindow) {
        this.classifier = classifier;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.flushInterval = flushInterval;
        this.admission = new LabelSetAdmission(limits, metrics);
        this.finishedBuilds = finishedBuilds;
        this.dedupeWindow = dedupeWindow;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<Classification>> context) {
        this.context = context;
        this.buffer = context.getStateStore(ClassifierTopology.BUFFER_STORE);
        this.labelSets = context.getStateStore(ClassifierTopology.LABEL_SETS_STORE);
        this.classifiedImages = new ClassifiedImages(context.getStateStore(ClassifierTopology.CLASSIFIED_STORE),
                dedupeWindow);
        // A restored buffer holds what an earlier owner of this task had read but not yet scored.
        try (KeyValueIterator<Long, BufferedEmbedding> all = buffer.all()) {
            while (all.hasNext()) {
                nextSequence = Math.max(nextSequence, all.next().key + 1);
                buffered++;
            }
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        metrics.in();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        BufferedEmbedding read = new BufferedEmbedding(record.key(), record.value(), record.timestamp(),
                meta == null ? Topics.EMBEDDINGS : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1L : meta.offset());
        if (record.value() == null) {
            reject(read, RejectReason.INVALID_RECORD, "empty record value (tombstone) on " + Topics.EMBEDDINGS, null);
            return;
        }
        ImageEmbedding embedding;
        try {
            embedding = embeddings.decode(record.value());
        } catch (RecordDecodingException e) {
            reject(read, e.reason(), e.getMessage(), null);
            return;
        }
        Optional<String> problem = EmbeddingCheck.problem(embedding);
        if (problem.isPresent()) {
            reject(read, RejectReason.INVALID_RECORD, problem.get(), embedding);
            return;
        }
        // Attributes ride along to every classification: over the caps, one could outgrow what the topic accepts.
        Optional<String> overCaps = AttributeLimits.DEFAULT.violation(embedding.getAttributes());
        if (overCaps.isPresent()) {
            reject(read, RejectReason.INVALID_RECORD, overCaps.get(), embedding);
            return;
        }
        buffer.put(nextSequence++, read);
        // Deferred embeddings do not count: else every record would flush while a big set is being built.
        if (++buffered - deferred >= maxBatch) {
            flush();
        }
    }

    private void flush() {
        // Deferred embeddings are looked at again only once some build has finished: until then they would be
        // deferred again, and a big set's build can take minutes while thousands of them wait.
        long builds = finishedBuilds.getAsLong();
        boolean retryDeferred = deferred > 0 && builds != buildsAtLastFlush;
        int stillDeferred = retryDeferred ? 0 : deferred;
        if (buffered - stillDeferred == 0) {
            return;
        }
        List<KeyValue<Long, BufferedEmbedding>> pending = new ArrayList<>(buffered - stillDeferred);
        try (KeyValueIterator<Long, BufferedEmbedding> all = stillDeferred == 0 ? buffer.all()
                : buffer.range(flushedUpTo, Long.MAX_VALUE)) {
            all.forEachRemaining(pending::add);
        }
        List<BufferedEmbedding> reads = new ArrayList<>(pending.size());
        List<ImageEmbedding> batch = new ArrayList<>(pending.size());
        for (KeyValue<Long, BufferedEmbedding> entry : pending) {
            reads.add(entry.value);
            batch.add(embeddings.decode(entry.value.value())); // decoded once already: it cannot fail now
        }
        List<LabelSet> sets = admission.admit(currentLabelSets());
        metrics.labelSets(sets);
        metrics.batch(batch.size());
        List<BatchClassifier.Outcome> outcomes = metrics.batchTime().record(() -> classifier.classify(batch, sets));
        long now = context.currentSystemTimeMs();
        Set<Long> kept = new HashSet<>();
        for (int i = 0; i < outcomes.size(); i++) {
            BufferedEmbedding read = reads.get(i);
            switch (outcomes.get(i)) {
                // Stays in the changelogged buffer, scored by a later flush (or by the next owner after a crash).
                case BatchClassifier.Deferred waiting -> kept.add(pending.get(i).key);
                case BatchClassifier.Classified classified -> {
                    for (Classification classification : firstClassifications(batch.get(i),
                            classified.classifications(), now)) {
                        context.forward(new Record<>(classification.getImageId(),
                                Outcome.result(classification), read.timestamp()));
                    }
                }
                case BatchClassifier.VersionUnavailable unavailable ->
                        reject(read, RejectReason.MODEL_VERSION_UNAVAILABLE, unavailable.message(), batch.get(i));
                case BatchClassifier.Failed failed ->
                        reject(read, RejectReason.INTERNAL_ERROR, failed.message(), batch.get(i));
            }
        }
        for (KeyValue<Long, BufferedEmbedding> entry : pending) {
            if (!kept.contains(entry.key)) {
                buffer.delete(entry.key);
            }
        }
        deferred = stillDeferred + kept.size();
        buffered = deferred;
        flushedUpTo = nextSequence;
        buildsAtLastFlush = builds;
        metrics.deferred(kept.size());
    }

    /**
     * Of an embedding's classifications, those under label sets its (image id, model version) was not classified under
     * within the dedupe window: all of them for a first embedding, for a duplicate only those of sets that came since.
     * Records them and counts the embedding.
     */
    private List<Classification> firstClassifications(ImageEmbedding embedding, List<Classification> results,
            long now) {
        Optional<Set<String>> before = classifiedImages.classifiedUnder(embedding.getImageId(),
                embedding.getModelVersion(), now);
        if (before.isEmpty()) {
            classifiedImages.record(embedding.getImageId(), embedding.getModelVersion(),
                    results.stream().map(Classification::getLabelSetId).toList(), now);
            metrics.classified(results);
            return results;
        }
        List<Classification> fresh = results.stream().filter(c -> !before.get().contains(c.getLabelSetId())).toList();
        if (!fresh.isEmpty()) {
            Set<String> since = new HashSet<>(before.get());
            fresh.forEach(c -> since.add(c.getLabelSetId()));
            // Written with all sets: a record at the same millisecond replaces the one before.
            classifiedImages.record(embedding.getImageId(), embedding.getModelVersion(), since, now);
        }
        metrics.duplicate(fresh);
        return fresh;
    }

    private List<LabelSet> currentLabelSets() {
        List<LabelSet> sets = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<LabelSet>> all = labelSets.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value != null && entry.value.value() != null) {
                    sets.add(entry.value.value());
                }
            });
        }
        sets.sort(Comparator.comparing(LabelSet::getId));
        return sets;
    }

    private void reject(BufferedEmbedding read, RejectReason reason, String message, ImageEmbedding embedding) {
        metrics.rejected(reason);
        String id = embedding != null && embedding.getImageId() != null && !embedding.getImageId().isBlank()
                ? embedding.getImageId() : read.key();
        byte[] key = read.key() == null ? null : read.key().getBytes(StandardCharsets.UTF_8);
        // Over the caps, attributes stay only in the original bytes: copied, they could make the rejection unwritable.
        Map<String, String> attributes = embedding == null
                || AttributeLimits.DEFAULT.violation(embedding.getAttributes()).isPresent() ? null : embedding.getAttributes();
        context.forward(new Record<>(id, Outcome.<Classification>rejected(Rejections.of(id, reason, message,
                new Rejections.Source(read.topic(), read.partition(), read.offset()), key, read.value(), SERVICE,
                embedding == null ? null : embedding.getModelVersion(), attributes)), read.timestamp()));
    }
}
