package io.clipstream.model.text.fix;

/** The numeric character references that Python's {@code html.unescape} remaps or drops (from the HTML standard). */
final class PythonCharrefs {

    /** Windows-1252 meanings of C1 references; 0x81, 0x8D, 0x8F, 0x90 and 0x9D stay as they are. */
    private static final String C1_AS_WINDOWS_1252 =
            "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f"
            + "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

    private PythonCharrefs() {
    }

    /** The replacement Python makes for a reference to one of these numbers, or null. */
    static String invalidCharref(int num) {
        if (num == 0x00) {
            return "\uFFFD";
        }
        if (num == 0x0D) {
            return "\r";
        }
        if (num >= 0x80 && num <= 0x9F) {
            return String.valueOf(C1_AS_WINDOWS_1252.charAt(num - 0x80));
        }
        return null;
    }

    /** Code points that Python decodes to nothing. */
    static boolean isInvalidCodePoint(int num) {
        return (num >= 0x1 && num <= 0x8)
                || num == 0xB
                || (num >= 0xE && num <= 0x1F)
                || (num >= 0x7F && num <= 0x9F)
                || (num >= 0xFDD0 && num <= 0xFDEF)
                || ((num & 0xFFFE) == 0xFFFE && num <= 0x10FFFF);
    }
}
