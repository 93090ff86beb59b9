package io.clipstream.ingest.stream;

import io.clipstream.ingest.PairNormalizer;
import io.clipstream.ingest.runtime.IngestMetrics;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.stream.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Normalises each raw pair and rejects what cannot be used, with its reason and original bytes. */
final class NormalizeProcessor implements Processor<String, byte[], String, Outcome<NormalizedPair>> {

    private final PairNormalizer normalizer;
    private final IngestMetrics metrics;
    private final AvroSerde<ImageTextPair> pairs = AvroSerde.of(ImageTextPair.class);
    private ProcessorContext<String, Outcome<NormalizedPair>> context;

    NormalizeProcessor(PairNormalizer normalizer, IngestMetrics metrics) {
        this.normalizer = normalizer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<NormalizedPair>> context) {
        this.context = context;
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
            case PairNormalizer.Invalid invalid -> {
                String id = raw.getPairId() == null || raw.getPairId().isBlank() ? record.key() : raw.getPairId();
                reject(record, id, invalid.reason(), invalid.message(), raw);
            }
            case PairNormalizer.Normalized normalized -> context.forward(record.withKey(normalized.pair().getPairId())
                    .withHeaders(DedupProcessor.sourceHeaders(record.headers(), context.recordMetadata().orElse(null),
                            record.key()))
                    .withValue(Outcome.result(normalized.pair())));
        }
    }

    private void reject(Record<String, byte[]> record, String id, RejectReason reason, String message, ImageTextPair raw) {
        metrics.rejected(reason);
        RecordMetadata meta = context.recordMetadata().orElse(null);
        Rejections.Source source = meta == null ? Rejections.Source.unknown(Topics.PAIRS_RAW)
                : new Rejections.Source(meta.topic(), meta.partition(), meta.offset());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        // Attributes over the caps stay only in the original bytes: copied, they could make the rejection unwritable.
        Map<String, String> attributes = raw == null || AttributeLimits.DEFAULT.violation(raw.getAttributes()).isPresent()
                ? null : raw.getAttributes();
        context.forward(record.withKey(id).withValue(Outcome.<NormalizedPair>rejected(Rejections.of(id, reason, message,
                source, key, record.value(), "ingest", null, attributes))));
    }
}
