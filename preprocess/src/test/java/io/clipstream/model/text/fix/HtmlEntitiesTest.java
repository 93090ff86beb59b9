package io.clipstream.model.text.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what Python 3.11's html.unescape and ftfy 6.3's unescape_html return. */
class HtmlEntitiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "&amp|&",
        "&amp;amp;|&amp;",
        "&notit;|\u00acit;",
        "&notin;|\u2209",
        "&#x41;|A",
        "&#65|A",
        "&#128;|\u20ac",
        "&#x81;|\u0081",
        "&#0;|\ufffd",
        "&#1;|``",
        "&#xD800;|\ufffd",
        "&#99999999999;|\ufffd",
        "&#x;|&#x;",
        "&ampx|&x",
        "&AMP;|&",
        "&Eacute|\u00c9",
        "&EACUTE;|&EACUTE;",
        "a &b c|a &b c",
        "&lt;3 &gt|<3 >",
    })
    void pythonUnescape(String escaped, String expected) {
        assertEquals(expected, HtmlEntities.pythonUnescape(escaped));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "&lt;tag&gt;|<tag>",
        "&Jscr;ohn &HilbertSpace;ancock|\ud835\udca5ohn \u210bancock",
        "&checkmark;|\u2713",
        "P&eacute;rez|P\u00e9rez",
        "P&EACUTE;REZ|P\u00c9REZ",
        "BUNDESSTRA&SZLIG;E|BUNDESSTRASSE",
        "&ntilde; &Ntilde; &NTILDE; &nTILDE;|\u00f1 \u00d1 \u00d1 &nTILDE;",
        "this&not that|this&not that",
        "&amp|&amp",
        "&#x2019;s|\u2019s",
    })
    void ftfyUnescape(String escaped, String expected) {
        assertEquals(expected, HtmlEntities.ftfyUnescape(escaped));
    }
}
