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

    @Test
    void removesFormatCharactersThatCanDisguiseText() {
        assertEquals("invoice gnp.exe", clean("invoice \u202Egnp.exe"), "right-to-left override");
        assertEquals("abcdef", clean("a\u202Ab\u202Bc\u202Cd\u202De"+"f"), "embeddings and pop");
        assertEquals("abcde", clean("a\u2066b\u2067c\u2068d\u2069e"), "isolates");
        assertEquals("left right", clean("left\u200E \u200Fright"), "LRM, RLM");
        assertEquals("paypal", clean("pay\u200Dpal"), "a joiner inside a Latin word only disguises it");
        assertEquals("paypal", clean("pay\u200Cpal"));
        assertEquals("cooperate", clean("co\u00ADoperate"), "soft hyphen");
        assertEquals("wordjoined", clean("word\u2060joined\uFEFF"), "word joiner, BOM");
        assertEquals("a cat", clean("a cat\uDB40\uDC49\uDB40\uDC47\uDB40\uDC4E\uDB40\uDC4F"), "tag characters smuggling text");
        assertEquals("two words", clean("two\u200Bwords"), "a zero-width space is a word break");
    }

    @Test
    void keepsJoinersWhereTheyMeanSomething() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        assertEquals(family + " at the beach", clean(family + " at the beach"), "ZWJ emoji sequence");
        String rainbowFlag = "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08";
        assertEquals(rainbowFlag, clean(rainbowFlag), "ZWJ after a variation selector");
        String scotland = "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F";
        assertEquals("flag " + scotland, clean("flag " + scotland), "tag sequence of a subdivision flag");
        String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"; // "I want": ZWNJ is spelling
        assertEquals(persian, clean(persian));
        String devanagari = "\u0915\u094D\u200D\u0937"; // half form of KA requested by ZWJ
        assertEquals(devanagari, clean(devanagari));
    }

    @Test
    void rejectsACaptionWithAWordLongerThanTheCaptionItWouldKeep() {
        CaptionCleaner defaults = new CaptionCleaner(300, 10_000);
        CaptionCleaner.Invalid oneWord = assertInstanceOf(CaptionCleaner.Invalid.class, defaults.clean("x".repeat(5000)));
        assertEquals(RejectReason.CAPTION_TOO_LONG, oneWord.reason());
        assertTrue(oneWord.message().contains("5000"), oneWord.message());
        assertEquals(RejectReason.CAPTION_TOO_LONG, reason("a photo of " + "ab12".repeat(11)), "a 44-character word");

        String longCjk = "一只猫坐在沙发上，".repeat(20); // no spaces, but punctuation between its words
        CaptionCleaner.Clean cjk = assertInstanceOf(CaptionCleaner.Clean.class, cleaner.clean(longCjk));
        assertTrue(cjk.truncated());
        assertFalse(assertInstanceOf(CaptionCleaner.Clean.class, cleaner.clean("x".repeat(40))).truncated());
    }
}
