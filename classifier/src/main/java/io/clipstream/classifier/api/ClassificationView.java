package io.clipstream.classifier.api;

import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ScoredLabel;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A classification as subscribers receive it (one JSON object per server-sent event). */
public record ClassificationView(String imageId, String labelSetId, long labelSetRevision, String modelVersion,
        List<ScoredLabelView> labels, Instant eventTime, Instant embeddedTime, Instant classifiedTime,
        Map<String, String> attributes) {

    public record ScoredLabelView(String label, float probability, float similarity) {
    }

    public static ClassificationView of(Classification c) {
        return new ClassificationView(c.getImageId(), c.getLabelSetId(), c.getLabelSetRevision(), c.getModelVersion(),
                c.getLabels().stream().map(ClassificationView::label).toList(), c.getEventTime(), c.getEmbeddedTime(),
                c.getClassifiedTime(), Map.copyOf(c.getAttributes()));
    }

    private static ScoredLabelView label(ScoredLabel label) {
        return new ScoredLabelView(label.getLabel(), label.getProbability(), label.getSimilarity());
    }
}
