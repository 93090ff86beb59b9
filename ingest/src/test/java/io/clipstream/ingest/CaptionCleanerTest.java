package io.clipstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.RejectReason;
import org.junit.jupiter.api.Test;

class CaptionCleanerTest {

    private final CaptionCleaner cleaner = new CaptionCleaner(40, 1000);

    private String clean(String raw) {
        return assertInstanceOf(CaptionCleaner.Clean.class, cleaner.clean(raw)).caption();
    }

    private RejectReason reason(String raw) {
        return assertInstanceOf(CaptionCleaner.Invalid.class, cleaner.clean(raw)).reason();
    }

    @Test
    void stripsHtmlControlCharactersAndCollapsesWhitespace() {
        assertEquals("a cat & a dog", clean("  <b>a cat</b>\t&amp;\n a <i>dog</i>\u0007 "));
        assertEquals("café", clean("cafe\u0301"), "NFC");
        assertEquals("x < y", clean("x &lt; y"));
        assertEquals("a < b and c > d", clean("a < b and c > d"), "a lone < is text, not a tag");
        assertEquals("😀 smile", clean("&#x1F600; smile"));
    }

    @Test
    void rejectsEmptyBrokenAndAbsurdCaptions() {
        assertEquals(RejectReason.EMPTY_CAPTION, reason(" \t\n "));
        assertEquals(RejectReason.EMPTY_CAPTION, reason("<p><br/></p>"));
        assertEquals(RejectReason.EMPTY_CAPTION, reason(null));
        assertEquals(RejectReason.INVALID_CAPTION_ENCODING, reason("bad \uFFFD bytes"));
        assertEquals(RejectReason.CAPTION_TOO_LONG, reason("x".repeat(1001)));
    }

    @Test
    void truncatesLongCaptionsBetweenWordsAndSaysSo() {
        CaptionCleaner.Clean result = assertInstanceOf(CaptionCleaner.Clean.class,
                cleaner.clean("the quick brown fox jumps over the lazy dog again and again"));
        assertTrue(result.truncated());
        assertTrue(result.caption().length() <= 40, result.caption());
        assertFalse(result.caption().endsWith(" "));
        assertEquals("the quick brown fox jumps over the lazy", result.caption());
        assertFalse(assertInstanceOf(CaptionCleaner.Clean.class, cleaner.clean("short")).truncated());
    }
}
