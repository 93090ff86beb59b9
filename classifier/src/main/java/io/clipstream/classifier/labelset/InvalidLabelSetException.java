package io.clipstream.classifier.labelset;

import java.util.List;

/** A label set that must not reach the topic; the message lists every problem found. */
public final class InvalidLabelSetException extends RuntimeException {

    private final List<String> problems;

    public InvalidLabelSetException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
