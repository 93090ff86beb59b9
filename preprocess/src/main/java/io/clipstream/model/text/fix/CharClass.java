package io.clipstream.model.text.fix;

import java.util.BitSet;
import java.util.function.IntPredicate;

/** One position of a {@link Sequence}: a set of code points, possibly optional (Python's {@code ?}). */
final class CharClass {

    /** Python's {@code \s} for str patterns ({@code str.isspace()}). */
    static final CharClass PYTHON_SPACE = new CharClass(CharClass::isPythonSpace, false);
    /** Python's {@code \w} for str patterns: letters, numbers and the underscore (not combining marks). */
    static final CharClass PYTHON_WORD = new CharClass(cp -> cp == '_' || Character.isLetter(cp)
            || switch (Character.getType(cp)) {
                case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
                default -> false;
            }, false);
    /** Python's {@code .}: anything but a line feed. */
    static final CharClass ANY_BUT_NEWLINE = new CharClass(cp -> cp != '\n', false);

    private final IntPredicate members;
    private final boolean optional;

    private CharClass(IntPredicate members, boolean optional) {
        this.members = members;
        this.optional = optional;
    }

    /** Regex class contents: characters and {@code a-b} ranges, no escapes. */
    static CharClass of(String contents) {
        BitSet set = new BitSet();
        for (int i = 0; i < contents.length(); i++) {
            char c = contents.charAt(i);
            if (i + 2 < contents.length() && contents.charAt(i + 1) == '-') {
                set.set(c, contents.charAt(i + 2) + 1);
                i += 2;
            } else {
                set.set(c);
            }
        }
        return new CharClass(set::get, false);
    }

    CharClass negated() {
        IntPredicate inner = members;
        return new CharClass(cp -> !inner.test(cp), optional);
    }

    CharClass optional() {
        return new CharClass(members, true);
    }

    boolean isOptional() {
        return optional;
    }

    boolean contains(int codePoint) {
        return members.test(codePoint);
    }

    private static boolean isPythonSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
                 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }
}
