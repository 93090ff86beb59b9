package io.clipstream.classifier.stream;

import io.clipstream.schemas.Classification;
import io.clipstream.schemas.Rejected;

/** What the classify step writes: a classification (one per image and label set) or a rejection. */
sealed interface ClassifierOutcome {

    record ToClassification(Classification classification) implements ClassifierOutcome {
    }

    record ToRejected(Rejected rejected) implements ClassifierOutcome {
    }
}
