package io.clipstream.trainer.data;

import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The first captions of the pairs topic, to train a tokenizer on before the model exists (its vocabulary size is
 * part of the model). Only the captions are read; the pairs themselves are trained on later, in order. With a
 * {@link CaptionMix} on, each caption comes with every phrasing the mix can train it with, so that the template
 * words are in the vocabulary.
 */
public final class CaptionSampler {

    private final AvroSerde<NormalizedPair> serde = AvroSerde.of(NormalizedPair.class);
    private final CaptionMix mix;

    /** Captions as sent. */
    public CaptionSampler() {
        this(CaptionMix.off());
    }

    public CaptionSampler(CaptionMix mix) {
        this.mix = mix;
    }

    /**
     * Polls {@code source} (already positioned) until {@code count} pairs' captions are read, or the input has been
     * quiet for {@code idle} after at least one caption; waits as long as the topic is empty, unless {@code stopped}.
     * With the mix on, the list holds each pair's variants (more strings than {@code count}).
     */
    public List<String> sample(PairSource source, int count, Duration idle, BooleanSupplier stopped) {
        List<String> captions = new ArrayList<>(Math.min(count, 1 << 16));
        int pairs = 0;
        long quietSince = System.nanoTime();
        while (pairs < count && !stopped.getAsBoolean()) {
            List<SourceRecord> records = source.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                if (!captions.isEmpty() && System.nanoTime() - quietSince >= idle.toNanos()) {
                    break;
                }
                continue;
            }
            quietSince = System.nanoTime();
            for (SourceRecord record : records) {
                if (pairs == count) {
                    break;
                }
                try {
                    NormalizedPair pair = serde.decode(record.value());
                    if (pair != null) {
                        captions.addAll(mix.variants(pair.getCaption(), pair.getAttributes()));
                        pairs++;
                    }
                } catch (RecordDecodingException e) {
                    // Skipped here as in training: counted and logged there, when the record is read for good.
                }
            }
        }
        return captions;
    }
}
