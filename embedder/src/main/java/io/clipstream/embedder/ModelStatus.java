package io.clipstream.embedder;

import java.time.Instant;

/**
 * What the embedder serves and what it was asked to serve; {@code null} where there is nothing to say. Shown by
 * {@code GET /model} and the readiness check.
 *
 * @param activeVersion       the model version every output is tagged with now
 * @param activeCheckpoint    the reference it was loaded from (a version, or a directory)
 * @param requestedCheckpoint the checkpoint named now (by the file or the configuration)
 * @param requestedBy         where it is named
 * @param loading             a checkpoint being loaded at this moment
 * @param lastLoadError       why the last load failed, when it did and nothing has loaded since
 * @param lastLoadErrorTime   when it failed
 * @param howToConfigure      where to name a checkpoint
 * @param precision           what the active model computes in ({@code fp32}, {@code bf16}, {@code fp16})
 */
public record ModelStatus(String activeVersion, String activeCheckpoint, String requestedCheckpoint,
        String requestedBy, String loading, String lastLoadError, Instant lastLoadErrorTime, String howToConfigure,
        String precision) {

    static ModelStatus initial(String howToConfigure) {
        return new ModelStatus(null, null, null, null, null, null, null, howToConfigure, null);
    }

    public boolean serving() {
        return activeVersion != null;
    }

    /** One sentence on the state, saying what is wrong when something is. */
    public String summary() {
        if (serving()) {
            String base = "serving model version " + activeVersion + (precision == null ? "" : " in " + precision);
            if (loading != null) {
                return base + ", loading checkpoint " + loading;
            }
            return lastLoadError != null ? base + "; the last load failed: " + lastLoadError : base;
        }
        if (loading != null) {
            return "no model yet: loading checkpoint " + loading;
        }
        if (lastLoadError != null) {
            return "no model: " + lastLoadError;
        }
        if (requestedCheckpoint == null) {
            return "no checkpoint configured: " + howToConfigure;
        }
        return "no model yet: checkpoint " + requestedCheckpoint + " is about to load";
    }

    ModelStatus requested(String reference, String by) {
        return new ModelStatus(activeVersion, activeCheckpoint, reference, by, loading, lastLoadError,
                lastLoadErrorTime, howToConfigure, precision);
    }

    ModelStatus loading(String reference) {
        return new ModelStatus(activeVersion, activeCheckpoint, requestedCheckpoint, requestedBy, reference,
                lastLoadError, lastLoadErrorTime, howToConfigure, precision);
    }

    ModelStatus loaded(String version, String reference, String newPrecision) {
        return new ModelStatus(version, reference, requestedCheckpoint, requestedBy, null, null, null, howToConfigure,
                newPrecision);
    }

    ModelStatus failed(String error, Instant when) {
        return new ModelStatus(activeVersion, activeCheckpoint, requestedCheckpoint, requestedBy, null, error, when,
                howToConfigure, precision);
    }
}
