package io.clipstream.model.text;

import io.clipstream.model.text.fix.HtmlEntities;
import io.clipstream.model.text.fix.TextFixer;
import java.util.Locale;

/**
 * The text normalisation of OpenAI's {@code simple_tokenizer.py}: {@code basic_clean} (ftfy, HTML unescaped
 * twice, stripped), then {@code whitespace_clean} (runs of whitespace to one space, stripped), then lower case.
 */
public final class ClipTextCleaner {

    private ClipTextCleaner() {
    }

    public static String clean(String text) {
        return whitespaceClean(basicClean(text)).toLowerCase(Locale.ROOT);
    }

    static String basicClean(String text) {
        String fixed = TextFixer.fixText(text);
        return PythonChars.strip(HtmlEntities.pythonUnescape(HtmlEntities.pythonUnescape(fixed)));
    }

    static String whitespaceClean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (PythonChars.isRegexSpace(c)) {
                inSpace = true;
            } else {
                if (inSpace) {
                    out.append(' ');
                    inSpace = false;
                }
                out.append(c);
            }
        }
        if (inSpace) {
            out.append(' ');
        }
        return PythonChars.strip(out.toString());
    }
}
