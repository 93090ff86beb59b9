package io.clipstream.model.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Token strings by id and ids by token string. A string listed twice keeps its later id, as in Python. */
final class Vocabulary {

    static final String END_OF_WORD = "</w>";

    private final String[] tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(String[] tokens) {
        this.tokens = tokens;
        this.ids = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                ids.put(tokens[id], id);
            }
        }
    }

    /** CLIP's layout: 256 byte symbols, the same with {@code </w>}, one token per merge, then the two specials. */
    static Vocabulary clipLayout(List<Merge> merges) {
        String[] alphabet = ByteSymbols.alphabet();
        String[] tokens = new String[512 + merges.size() + 2];
        for (int i = 0; i < 256; i++) {
            tokens[i] = alphabet[i];
            tokens[256 + i] = alphabet[i] + END_OF_WORD;
        }
        for (int i = 0; i < merges.size(); i++) {
            tokens[512 + i] = merges.get(i).joined();
        }
        tokens[tokens.length - 2] = PreTokenizer.START_OF_TEXT;
        tokens[tokens.length - 1] = PreTokenizer.END_OF_TEXT;
        return new Vocabulary(tokens);
    }

    /** A vocabulary given as token to id, as Hugging Face's {@code vocab.json} has it. */
    static Vocabulary fromIds(Map<String, Integer> tokenIds) {
        int size = tokenIds.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[size];
        tokenIds.forEach((token, id) -> {
            if (id < 0) {
                throw new IllegalArgumentException("Negative id " + id + " for token " + token);
            }
            tokens[id] = token;
        });
        return new Vocabulary(tokens);
    }

    int size() {
        return tokens.length;
    }

    String token(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new IllegalArgumentException("No token with id " + id);
        }
        return tokens[id];
    }

    int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("Token not in the vocabulary: " + token);
        }
        return id;
    }

    /** Builds the merge table over this vocabulary's ids; every merge's parts and result must be tokens. */
    MergeTable mergeTable(List<Merge> merges) {
        int[] lefts = new int[merges.size()];
        int[] rights = new int[merges.size()];
        int[] merged = new int[merges.size()];
        for (int i = 0; i < merges.size(); i++) {
            Merge merge = merges.get(i);
            lefts[i] = id(merge.left());
            rights[i] = id(merge.right());
            merged[i] = id(merge.joined());
        }
        return new MergeTable(lefts, rights, merged);
    }
}
