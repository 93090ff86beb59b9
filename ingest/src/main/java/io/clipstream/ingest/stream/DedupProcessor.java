package io.clipstream.ingest.stream;

import io.clipstream.ingest.runtime.IngestMetrics;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.stream.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

/**
 * Rejects exact duplicates of (image hash, caption) seen within the window as {@link RejectReason#DUPLICATE}, naming
 * the pair they duplicate. Its input is keyed by that content key, so every copy of a pair meets the same store
 * instance whatever partition the original went to; the store is changelogged, so it survives restarts. Forwards
 * first sightings keyed by pair id again.
 *
 * <p>Where the pair was read on pairs.raw travels in record headers ({@link #sourceHeaders}) through the
 * repartition topic, so that a rejection points at the input, not at the internal topic.
 */
final class DedupProcessor implements Processor<String, NormalizedPair, String, Outcome<NormalizedPair>> {

    private static final Logger LOG = Logger.getLogger(DedupProcessor.class);

    static final String SOURCE_HEADER = "clipstream.ingest.source";
    static final String SOURCE_KEY_HEADER = "clipstream.ingest.source-key";
    static final String DUPLICATE_OF = "duplicateOf";

    private final IngestMetrics metrics;
    private final Duration window;
    private ProcessorContext<String, Outcome<NormalizedPair>> context;
    private WindowStore<String, String> seen;

    DedupProcessor(IngestMetrics metrics, Duration window) {
        this.metrics = metrics;
        this.window = window;
    }

    /**
     * The store's values: the id of the first pair with that content. Entries written before ids were kept hold an
     * 8-byte timestamp (its first byte is 0 for any date before the year 4000); they read as {@code ""}.
     */
    static Serde<String> firstPairIdSerde() {
        Deserializer<String> ids = (topic, bytes) -> bytes == null ? null
                : bytes.length == 8 && bytes[0] == 0 ? "" : new String(bytes, StandardCharsets.UTF_8);
        return Serdes.serdeFrom(new StringSerializer(), ids);
    }

    /** Headers of the input record plus where it was read on pairs.raw (topic, partition, offset) and its key. */
    static Headers sourceHeaders(Headers input, RecordMetadata meta, String rawKey) {
        Headers headers = new RecordHeaders(input.toArray());
        if (meta != null) {
            headers.add(SOURCE_HEADER, (meta.partition() + ":" + meta.offset() + ":" + meta.topic())
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (rawKey != null) {
            headers.add(SOURCE_KEY_HEADER, rawKey.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<NormalizedPair>> context) {
        this.context = context;
        this.seen = context.getStateStore(IngestTopology.DEDUP_STORE);
    }

    @Override
    public void process(Record<String, NormalizedPair> record) {
        String contentKey = record.key();
        NormalizedPair pair = record.value();
        long timestamp = record.timestamp();
        long from = Math.max(0, timestamp - window.toMillis());
        String firstId = null;
        try (WindowStoreIterator<String> earlier = seen.fetch(contentKey, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(timestamp))) {
            if (earlier.hasNext()) {
                firstId = earlier.next().value;
            }
        }
        Headers headers = withoutSourceHeaders(record.headers());
        if (firstId != null) {
            metrics.duplicate();
            LOG.infof("duplicate pair %s rejected: same image %s and caption as pair %s, seen within %s",
                    pair.getPairId(), pair.getContentHash().substring(0, 12), firstId.isEmpty() ? "?" : firstId, window);
            context.forward(record.withKey(pair.getPairId()).withHeaders(headers)
                    .withValue(Outcome.<NormalizedPair>rejected(duplicate(record, pair, firstId))));
            return;
        }
        seen.put(contentKey, pair.getPairId(), timestamp);
        metrics.normalized();
        context.forward(record.withKey(pair.getPairId()).withHeaders(headers)
                .withValue(Outcome.result(pair)));
    }

    private Rejected duplicate(Record<String, NormalizedPair> record, NormalizedPair pair,
            String firstId) {
        Map<String, String> attributes = new HashMap<>(pair.getAttributes());
        String original = "an earlier pair";
        if (!firstId.isEmpty()) {
            attributes.put(DUPLICATE_OF, firstId);
            original = "pair " + firstId;
        }
        Header key = record.headers().lastHeader(SOURCE_KEY_HEADER);
        return Rejections.of(pair.getPairId(), RejectReason.DUPLICATE, "exact duplicate of " + original
                + ": the same image (pixels sha256 " + pair.getContentHash().substring(0, 12)
                + "…) and caption within the dedup window of " + window, source(record.headers()),
                key == null ? null : key.value(), null, "ingest", null, attributes);
    }

    private static Rejections.Source source(Headers headers) {
        Header header = headers.lastHeader(SOURCE_HEADER);
        if (header == null) {
            return Rejections.Source.unknown(Topics.PAIRS_RAW);
        }
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split(":", 3);
        return new Rejections.Source(parts[2], Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    private static Headers withoutSourceHeaders(Headers headers) {
        Headers copy = new RecordHeaders(headers.toArray());
        copy.remove(SOURCE_HEADER);
        copy.remove(SOURCE_KEY_HEADER);
        return copy;
    }
}
