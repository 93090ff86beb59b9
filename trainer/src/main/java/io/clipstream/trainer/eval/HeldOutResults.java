package io.clipstream.trainer.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's held-out measures, and for those that count hits (recall@k both ways, zero-shot top-k) whether each item
 * of the pool was hit, in pool order: what the guardrail's paired test compares.
 *
 * @param metrics measures by name ({@link io.clipstream.schemas.CheckpointMetrics})
 * @param hits per-item hits by measure name
 */
public record HeldOutResults(Map<String, Double> metrics, Map<String, boolean[]> hits) {

    public HeldOutResults {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // in the order they were measured
        hits = Collections.unmodifiableMap(new LinkedHashMap<>(hits));
    }
}
