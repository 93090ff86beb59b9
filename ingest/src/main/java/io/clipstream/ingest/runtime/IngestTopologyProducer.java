package io.clipstream.ingest.runtime;

import io.clipstream.ingest.CaptionCleaner;
import io.clipstream.ingest.IngestConfig;
import io.clipstream.ingest.IngestImageLimits;
import io.clipstream.ingest.IngestMemoryConfig;
import io.clipstream.ingest.PairNormalizer;
import io.clipstream.ingest.stream.IngestTopology;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.ImageDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/** Hands the ingest topology, wired from configuration, to Quarkus' Kafka Streams. */
@ApplicationScoped
public class IngestTopologyProducer {

    @Produces
    @ApplicationScoped
    IngestMetrics metrics(MeterRegistry registry) {
        return new IngestMetrics(registry);
    }

    @Produces
    Topology topology(IngestConfig config, IngestImageLimits imageLimits, IngestMemoryConfig memory,
            IngestMetrics metrics) {
        if (config.decode().threads() < 1) {
            throw new IllegalArgumentException("clipstream.ingest.decode.threads must be at least 1, not "
                    + config.decode().threads());
        }
        metrics.decodeThreads(config.decode().threads());
        PairNormalizer normalizer = new PairNormalizer(
                ClipImageTransform.openAi(config.trainingSize()).withDecoder(new ImageDecoder(imageLimits.limits())),
                new CaptionCleaner(config.caption().truncateAt(), config.caption().rejectAbove()), Clock.systemUTC(),
                memory.decodeBudget().isPresent() ? new DecodeBudget(memory.decodeBudget().getAsLong())
                        : DecodeBudget.ofHeap(memory.decodeBudgetHeapFraction()));
        return IngestTopology.build(normalizer, metrics, config.dedupWindow());
    }
}
