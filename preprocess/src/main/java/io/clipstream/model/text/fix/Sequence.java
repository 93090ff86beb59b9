package io.clipstream.model.text.fix;

/** A regex alternative made only of single-character classes, some optional, possibly anchored at the start. */
final class Sequence {

    private final CharClass[] elements;
    private final boolean anchoredAtStart;

    private Sequence(CharClass[] elements, boolean anchoredAtStart) {
        this.elements = elements;
        this.anchoredAtStart = anchoredAtStart;
    }

    static Sequence of(CharClass... elements) {
        return new Sequence(elements, false);
    }

    /** Python's {@code ^...} without MULTILINE: only at the start of the text. */
    static Sequence atStart(CharClass... elements) {
        return new Sequence(elements, true);
    }

    boolean matchesAt(int[] codePoints, int at) {
        if (anchoredAtStart && at != 0) {
            return false;
        }
        return matches(codePoints, at, 0);
    }

    private boolean matches(int[] codePoints, int at, int element) {
        if (element == elements.length) {
            return true;
        }
        CharClass cls = elements[element];
        if (at < codePoints.length && cls.contains(codePoints[at]) && matches(codePoints, at + 1, element + 1)) {
            return true;
        }
        return cls.isOptional() && matches(codePoints, at, element + 1);
    }
}
