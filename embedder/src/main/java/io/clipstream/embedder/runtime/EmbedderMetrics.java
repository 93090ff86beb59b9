package io.clipstream.embedder.runtime;

import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.stream.MicroBatcher;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.schemas.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the embedder. Images per second is the rate of {@code clipstream_embedder_images_embedded_total};
 * every record read is counted once as embedded or rejected (by reason) when its output is acknowledged.
 */
public final class EmbedderMetrics implements CheckpointWatcher.Listener {

    /** Where an embedding was asked for. */
    public enum Source {
        STREAM, HTTP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Counter read;
    private final Map<Source, Counter> embedded = new EnumMap<>(Source.class);
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final DistributionSummary batchSize;
    private final Map<Source, Timer> embedTime = new EnumMap<>(Source.class);
    private final Timer queueWait;
    private final Timer latency;
    private final Counter loadsSucceeded;
    private final Counter loadsFailed;
    private final Timer loadTime;
    private final MultiGauge activeVersion;
    private final MeterRegistry registry;

    public EmbedderMetrics(MeterRegistry registry) {
        this.registry = registry;
        read = Counter.builder("clipstream.embedder.images.read").description("Records read from clipstream.images")
                .register(registry);
        for (Source source : Source.values()) {
            embedded.put(source, Counter.builder("clipstream.embedder.images.embedded").tag("source", source.tag())
                    .description("Images embedded (stream: embedding acknowledged by the broker)").register(registry));
            embedTime.put(source, Timer.builder("clipstream.embedder.embed").tag("source", source.tag())
                    .description("Model time of one batch (the image tower on a batch of preprocessed images)")
                    .publishPercentileHistogram().register(registry));
        }
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("clipstream.embedder.images.rejected").tag("reason", reason.name())
                    .description("Records written to clipstream.images.rejected").register(registry));
        }
        batchSize = DistributionSummary.builder("clipstream.embedder.batch.size")
                .description("Images per model call of the stream").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        queueWait = Timer.builder("clipstream.embedder.queue.wait")
                .description("From a record being read and decoded to its batch entering the model")
                .publishPercentileHistogram().register(registry);
        latency = Timer.builder("clipstream.embedder.latency")
                .description("From the input record's timestamp to its embedding being acknowledged")
                .publishPercentileHistogram().register(registry);
        loadsSucceeded = Counter.builder("clipstream.embedder.model.loads").tag("outcome", "success")
                .description("Checkpoint loads").register(registry);
        loadsFailed = Counter.builder("clipstream.embedder.model.loads").tag("outcome", "failure")
                .description("Checkpoint loads").register(registry);
        loadTime = Timer.builder("clipstream.embedder.model.load").description("Loading, verifying and warming a checkpoint")
                .register(registry);
        activeVersion = MultiGauge.builder("clipstream.embedder.model.active")
                .description("1 for the model version serving now (tag version)").register(registry);
    }

    /** Gauges of the decode budget: held now, the most held at once, the budget. */
    public void decodeBudget(DecodeBudget budget) {
        bytesGauge("clipstream.embedder.decode.budget.used", budget, DecodeBudget::inUse,
                "Declared decode cost being decoded now (stream and HTTP)");
        bytesGauge("clipstream.embedder.decode.budget.peak", budget, DecodeBudget::peak,
                "The most declared decode cost decoded at once since start");
        bytesGauge("clipstream.embedder.decode.budget.capacity", budget, DecodeBudget::capacity,
                "The decode budget (clipstream.embedder.memory.decode-budget)");
    }

    /** 1 for the precision the towers compute in (tag precision: fp32, bf16, fp16; clipstream.model.precision). */
    public void precision(Precision precision) {
        Gauge.builder("clipstream.embedder.model.precision", () -> 1).tag("precision", precision.label())
                .description("1 for the precision the towers compute in (clipstream.model.precision)")
                .register(registry);
    }

    /** The number of threads decoding the stream's images (clipstream.embedder.decode.threads). */
    public void decodeThreads(int threads) {
        Gauge.builder("clipstream.embedder.decode.threads", () -> threads)
                .description("Threads decoding the stream's images (clipstream.embedder.decode.threads)")
                .register(registry);
    }

    /** Gauges of the micro-batching queue's bytes: queued now, the most queued at once, the bound. */
    public void queue(MicroBatcher<?> batcher) {
        bytesGauge("clipstream.embedder.queue.used", batcher, MicroBatcher::queuedBytes,
                "Bytes of the records waiting for the model");
        bytesGauge("clipstream.embedder.queue.peak", batcher, MicroBatcher::peakBytes,
                "The most bytes waiting for the model at once since start");
        bytesGauge("clipstream.embedder.queue.capacity", batcher, MicroBatcher::maxBytes,
                "The queue's byte bound (clipstream.embedder.memory.queue-max-bytes)");
    }

    private <T> void bytesGauge(String name, T source, ToDoubleFunction<T> value, String description) {
        Gauge.builder(name, source, value).baseUnit("bytes").description(description).strongReference(true)
                .register(registry);
    }

    public void read() {
        read.increment();
    }

    public void embedded(Source source, int images) {
        embedded.get(source).increment(images);
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void batch(int images, Duration modelTime) {
        batchSize.record(images);
        embedTime.get(Source.STREAM).record(modelTime);
    }

    public void httpCall(Duration modelTime) {
        embedTime.get(Source.HTTP).record(modelTime);
    }

    public void queueWait(Duration wait) {
        queueWait.record(wait);
    }

    public void latency(Duration sinceRecordTimestamp) {
        if (!sinceRecordTimestamp.isNegative()) {
            latency.record(sinceRecordTimestamp);
        }
    }

    @Override
    public void loaded(String version, Duration took) {
        loadsSucceeded.increment();
        loadTime.record(took);
        activeVersion.register(List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
    }

    @Override
    public void failed(String reference, Duration took) {
        loadsFailed.increment();
        loadTime.record(took);
    }

    public double embeddedCount(Source source) {
        return embedded.get(source).count();
    }

    public double rejectedCount() {
        return rejected.values().stream().mapToDouble(Counter::count).sum();
    }
}
