package io.clipstream.ingest.stream;

import io.clipstream.ingest.PairNormalizer;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

/**
 * Normalises each raw pair, rejects what cannot be used (with the original bytes), and drops exact duplicates of
 * (image hash, caption) seen within the dedup window. The window store is changelogged, so it survives restarts.
 */
final class NormalizeProcessor implements Processor<String, byte[], String, IngestOutcome> {

    private static final Logger LOG = Logger.getLogger(NormalizeProcessor.class);

    private final PairNormalizer normalizer;
    private final IngestMetrics metrics;
    private final Duration dedupWindow;
    private final AvroSerde<ImageTextPair> pairs = AvroSerde.of(ImageTextPair.class);
    private ProcessorContext<String, IngestOutcome> context;
    private WindowStore<String, Long> seen;

    NormalizeProcessor(PairNormalizer normalizer, IngestMetrics metrics, Duration dedupWindow) {
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.dedupWindow = dedupWindow;
    }

    @Override
    public void init(ProcessorContext<String, IngestOutcome> context) {
        this.context = context;
        this.seen = context.getStateStore(IngestTopology.DEDUP_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        metrics.in();
        ImageTextPair raw;
        try {
            raw = pairs.decode(record.value());
        } catch (RecordDecodingException e) {
            reject(record, record.key(), e.reason(), e.getMessage(), null);
            return;
        }
        if (raw == null) {
            reject(record, record.key(), RejectReason.INVALID_RECORD, "empty record value (tombstone) on pairs.raw", null);
            return;
        }
        PairNormalizer.Outcome outcome = metrics.normalizeTime().record(() -> normalizer.normalize(raw));
        switch (outcome) {
            case PairNormalizer.Invalid invalid ->
                    reject(record, raw.getPairId(), invalid.reason(), invalid.message(), raw);
            case PairNormalizer.Normalized normalized -> {
                NormalizedPair pair = normalized.pair();
                if (isDuplicate(pair, record.timestamp())) {
                    metrics.duplicate();
                    LOG.infof("duplicate pair %s dropped (image %s, same caption seen within %s)", pair.getPairId(),
                            pair.getContentHash().substring(0, 12), dedupWindow);
                    return;
                }
                metrics.normalized();
                context.forward(record.withKey(pair.getPairId()).withValue(new IngestOutcome.ToNormalized(pair)));
            }
        }
    }

    private boolean isDuplicate(NormalizedPair pair, long timestamp) {
        String key = pair.getContentHash() + ':' + PairNormalizer.sha256(pair.getCaption().getBytes(StandardCharsets.UTF_8));
        long from = Math.max(0, timestamp - dedupWindow.toMillis());
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, Instant.ofEpochMilli(from), Instant.ofEpochMilli(timestamp))) {
            if (earlier.hasNext()) {
                return true;
            }
        }
        seen.put(key, timestamp, timestamp);
        return false;
    }

    private void reject(Record<String, byte[]> record, String id, RejectReason reason, String message, ImageTextPair raw) {
        metrics.rejected(reason);
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Rejections.Source source = meta == null ? Rejections.Source.unknown(Topics.PAIRS_RAW)
                : new Rejections.Source(meta.topic(), meta.partition(), meta.offset());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        context.forward(record.withKey(id).withValue(new IngestOutcome.ToRejected(Rejections.of(id, reason, message,
                source, key, record.value(), "ingest", null, raw == null ? null : raw.getAttributes()))));
    }
}
