package io.clipstream.ingest.stream;

import io.clipstream.schemas.NormalizedPair;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

/**
 * Drops exact duplicates of (image hash, caption) seen within the window. Its input is keyed by that content key,
 * so every copy of a pair meets the same store instance whatever partition the original went to; the store is
 * changelogged, so it survives restarts. Forwards first sightings keyed by pair id again.
 */
final class DedupProcessor implements Processor<String, NormalizedPair, String, NormalizedPair> {

    private static final Logger LOG = Logger.getLogger(DedupProcessor.class);

    private final IngestMetrics metrics;
    private final Duration window;
    private ProcessorContext<String, NormalizedPair> context;
    private WindowStore<String, Long> seen;

    DedupProcessor(IngestMetrics metrics, Duration window) {
        this.metrics = metrics;
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<String, NormalizedPair> context) {
        this.context = context;
        this.seen = context.getStateStore(IngestTopology.DEDUP_STORE);
    }

    @Override
    public void process(Record<String, NormalizedPair> record) {
        String contentKey = record.key();
        long timestamp = record.timestamp();
        long from = Math.max(0, timestamp - window.toMillis());
        try (WindowStoreIterator<Long> earlier = seen.fetch(contentKey, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(timestamp))) {
            if (earlier.hasNext()) {
                metrics.duplicate();
                LOG.infof("duplicate pair %s dropped: same image %s and caption seen within %s",
                        record.value().getPairId(), record.value().getContentHash().substring(0, 12), window);
                return;
            }
        }
        seen.put(contentKey, timestamp, timestamp);
        metrics.normalized();
        context.forward(record.withKey(record.value().getPairId()));
    }
}
