package io.clipstream.classifier.stream;

import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.schemas.LabelSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The label sets the classify step uses: those within the caps. A set read from the topic over a cap (the API refuses
 * such sets, but records can be written by anything) counts as absent: images it would apply to are classified under
 * the other sets, or counted unmatched, as for a set that does not exist. The embeddings themselves are fine, so they
 * are not rejected for it; the refusal is logged once per set revision and shown by the
 * {@code clipstream_classifier_label_sets_refused} gauge.
 */
final class LabelSetAdmission {

    private static final Logger LOG = Logger.getLogger(LabelSetAdmission.class);

    private final LabelSetLimits limits;
    private final ClassifierMetrics metrics;
    /** What was last said about each refused set ("revision: reason"), so it is logged once, not every batch. */
    private final Map<String, String> logged = new HashMap<>();

    LabelSetAdmission(LabelSetLimits limits, ClassifierMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    List<LabelSet> admit(List<LabelSet> current) {
        LabelSetLimits.Admission admission = limits.admit(current);
        Map<String, Long> revisions = new HashMap<>();
        current.forEach(set -> revisions.put(set.getId(), set.getRevision()));
        logged.keySet().retainAll(admission.refused().keySet());
        admission.refused().forEach((id, reason) -> {
            String said = revisions.get(id) + ": " + reason;
            if (!said.equals(logged.put(id, said))) {
                LOG.errorf("label set %s (revision %d) is refused and classifies nothing: %s", id, revisions.get(id),
                        reason);
            }
        });
        metrics.refusedLabelSets(admission.refused().size());
        return admission.admitted();
    }
}
