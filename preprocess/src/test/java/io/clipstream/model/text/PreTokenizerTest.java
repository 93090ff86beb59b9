package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected splits are what the Python regex module's findall returns for CLIP's pattern (IGNORECASE). */
class PreTokenizerTest {

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "don't stop'll => don,'t,stop,'ll",
        "''s => '',s",
        "!<|endoftext|>x => !<|,endoftext,|>,x",
        "<|startoftext|><|endoftext|> => <|startoftext|>,<|endoftext|>",
        // Combining marks are neither letters nor numbers.
        "a\u0301b => a,\u0301,b",
        // Code points beyond the BMP are one character each.
        "\ud835\udca5ohn \ud835\udfd9\ud835\udfda => \ud835\udca5ohn,\ud835\udfd9,\ud835\udfda",
        "x\u00b2 \u0661\u0662 => x,\u00b2,\u0661,\u0662",
        "dog\ud83d\udc36\ud83d\udc31! => dog,\ud83d\udc36\ud83d\udc31!",
        // IGNORECASE folds the long s to s.
        "'\u017f <|\u017ftartoftext|> => '\u017f,<|\u017ftartoftext|>",
        "3.14 => 3,.,1,4",
        "e-mail@x.com => e,-,mail,@,x,.,com",
        "\u3042\u3044 \u4e2d\u6587 => \u3042\u3044,\u4e2d\u6587",
        "a\u3000b\u00a0c\u2009d => a,b,c,d",
    })
    void splitsLikeThePythonRegex(String text, String expected) {
        List<String> words = PreTokenizer.split(text);
        assertEquals(Arrays.asList(expected.split(",")), words);
    }
}
