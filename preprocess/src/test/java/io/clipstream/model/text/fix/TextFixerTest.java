package io.clipstream.model.text.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Behaviour documented by ftfy 6.3 (its doctests), which CLIP's cleaning inherits. */
class TextFixerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\u00e2\u0153\u201d No problems|\u2714 No problems",
        "&macr;\\_(\u00e3\u0083\u0084)_/&macr;|\u00af\\_(\u30c4)_/\u00af",
        "\uff2c\uff2f\uff35\uff24\u3000\uff2e\uff2f\uff29\uff33\uff25\uff33|LOUD NOISES",
        "s\u00c3\u00b3|s\u00f3",
        "voil\u00c3 le travail|voil\u00e0 le travail",
        "sch\u00c3\u00b6n|sch\u00f6n",
        "mojibake \u00e2\u20ac\u0153quoted\u00e2\u20ac\u009d text|mojibake \"quoted\" text",
        "This \u00e2\u20ac\u201d should be an em dash|This \u2014 should be an em dash",
        "\u00c3\u00a0\u00c2\u00b2\u00c2\u00a0_\u00c3\u00a0\u00c2\u00b2\u00c2\u00a0|\u0ca0_\u0ca0",
        "This text was never UTF-8 at all\u0085|This text was never UTF-8 at all\u2026",
        "\u201chere\u2019s a test\u201d|\"here's a test\"",
        "\ufb02u\ufb03e\ufb06|fluffiest",
        "\uff35\uff80\uff70\uff9d|U\u30bf\u30fc\u30f3",
        "Broken text&hellip; it&#x2019;s \ufb02ubberi\ufb01c!|Broken text\u2026 it's flubberific!",
        "<em>HTML entities &lt;3</em>|<em>HTML entities &lt;3</em>",
        "e\u0301|\u00e9",
    })
    void fixText(String broken, String fixed) {
        assertEquals(fixed, TextFixer.fixText(broken));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\u00c3\u00b3|\u00f3",
        // Sloppy Windows-1252 encodes U+FFFD as 0x1A; a UTF-8 sequence that lost a byte decodes as U+FFFD.
        "\u00e2\u20ac\u0153 like this \u00e2\u20ac\ufffd|\u201c like this \ufffd",
        "&ATILDE;&SUP3;|&ATILDE;&SUP3;",
        "not such a fan of Charlotte Bront\u00eb\u2026\u201d|not such a fan of Charlotte Bront\u00eb\u2026\u201d",
        "na\u00efve caf\u00e9 r\u00e9sum\u00e9|na\u00efve caf\u00e9 r\u00e9sum\u00e9",
        "Stra\u00dfe \u00c6r\u00f8sk\u00f8bing|Stra\u00dfe \u00c6r\u00f8sk\u00f8bing",
    })
    void fixEncoding(String text, String expected) {
        assertEquals(expected, EncodingFixer.fixEncoding(text));
    }

    @Test
    void mojibakeNextToTextNoSingleByteEncodingHoldsIsFixedRunByRun() {
        assertEquals("\u30c4 \u00e9t\u00e9", EncodingFixer.fixEncoding("\u30c4 \u00c3\u00a9t\u00c3\u00a9"));
    }

    @Test
    void entitiesStayOnceALineShowsHtml() {
        assertEquals("a < b\n&amp; stays", TextFixer.fixText("a < b\n&amp; stays"));
        assertEquals("& then\na < b", TextFixer.fixText("&amp; then\na < b"));
    }

    @Test
    void lineBreaksAreUnixAndTheByteOrderMarkGoes() {
        assertEquals("Party like\nit's 1999!", TextFixer.fixText("\ufeffParty like\r\nit&rsquo;s 1999!"));
    }

    @Test
    void controlsAndEscapesGo() {
        assertEquals("I'm blue", TextFixer.fixText("\u0001\u001b[36;44mI&#x92;m blue\u001b[0m"));
        assertEquals("two\nlines\nhere", TextFixer.fixText("two\u2028lines\u2029here"));
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("\ud83d\udca9 \ufffd\ufffd", TextFixer.fixText("\ud83d\udca9 \udca9\ud83d"));
    }
}
