package io.clipstream.model.text;

/**
 * Character classes as CLIP's Python code sees them: the {@code regex} module's {@code \s}, {@code \p{L}} and
 * {@code \p{N}}, and {@code str.isspace()}. Java's Unicode tables are used for the general categories, so
 * characters assigned after Java's Unicode version count as neither letters nor numbers.
 */
final class PythonChars {

    private PythonChars() {
    }

    /** The {@code regex} module's {@code \s}: Unicode White_Space. */
    static boolean isRegexSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code str.isspace()}, which also counts the information separators U+001C..U+001F. */
    static boolean isPythonSpace(int cp) {
        return isRegexSpace(cp) || (cp >= 0x1C && cp <= 0x1F);
    }

    static boolean isLetter(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> true;
            default -> false;
        };
    }

    static boolean isNumber(int cp) {
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** Python's {@code str.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
