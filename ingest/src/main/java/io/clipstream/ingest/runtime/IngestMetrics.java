package io.clipstream.ingest.runtime;

import io.clipstream.schemas.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Prometheus metrics of ingest: every input is counted once as normalised, rejected (by reason) or duplicate
 * (duplicates go to pairs.rejected too, with reason DUPLICATE, but have their own counter).
 */
public final class IngestMetrics {

    private final Counter in;
    private final Counter normalized;
    private final Counter duplicates;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer normalizeTime;
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        in = Counter.builder("clipstream.ingest.pairs.in").description("Pairs read from pairs.raw").register(registry);
        normalized = Counter.builder("clipstream.ingest.pairs.normalized").description("Pairs written to pairs.normalized")
                .register(registry);
        duplicates = Counter.builder("clipstream.ingest.pairs.duplicates")
                .description("Exact duplicates of (image, caption) within the dedup window, written to pairs.rejected")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            if (reason == RejectReason.DUPLICATE) {
                continue; // counted above, so that in = normalized + rejected + duplicates stays true
            }
            rejected.put(reason, Counter.builder("clipstream.ingest.pairs.rejected").tag("reason", reason.name())
                    .description("Pairs written to pairs.rejected").register(registry));
        }
        normalizeTime = Timer.builder("clipstream.ingest.normalize").description("Time to normalise one pair")
                .publishPercentileHistogram().register(registry);
    }

    /** The number of stream threads decoding pairs (clipstream.ingest.decode.threads). */
    void decodeThreads(int threads) {
        Gauge.builder("clipstream.ingest.decode.threads", () -> threads)
                .description("Kafka Streams threads decoding pairs (clipstream.ingest.decode.threads)").register(registry);
    }

    public void in() {
        in.increment();
    }

    public void normalized() {
        normalized.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public Timer normalizeTime() {
        return normalizeTime;
    }

    public double inCount() {
        return in.count();
    }

    public double normalizedCount() {
        return normalized.count();
    }

    public double duplicateCount() {
        return duplicates.count();
    }

    public double rejectedCount() {
        return rejected.values().stream().mapToDouble(Counter::count).sum();
    }
}
