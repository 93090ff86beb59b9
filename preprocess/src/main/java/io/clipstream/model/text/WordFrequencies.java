package io.clipstream.model.text;

import java.util.HashMap;
import java.util.Map;

/** Word counts of a caption corpus, with the cleaning and word splitting that {@link ClipTokenizer} applies. */
public final class WordFrequencies {

    private final Map<String, Long> counts = new HashMap<>();

    public void addCaption(String caption) {
        for (String word : PreTokenizer.split(ClipTextCleaner.clean(caption))) {
            // Special tokens have their own ids; they are not material for merges.
            if (!word.equals(PreTokenizer.START_OF_TEXT) && !word.equals(PreTokenizer.END_OF_TEXT)) {
                counts.merge(word, 1L, Long::sum);
            }
        }
    }

    public static WordFrequencies of(Iterable<String> captions) {
        WordFrequencies frequencies = new WordFrequencies();
        captions.forEach(frequencies::addCaption);
        return frequencies;
    }

    public int distinctWords() {
        return counts.size();
    }

    Map<String, Long> counts() {
        return counts;
    }
}
