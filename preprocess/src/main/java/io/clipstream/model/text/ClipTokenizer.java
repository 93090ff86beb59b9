package io.clipstream.model.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's text tokenizer, reproducing OpenAI's {@code simple_tokenizer.py} and {@code clip.tokenize}: clean
 * the text ({@link ClipTextCleaner}), split it into words ({@link PreTokenizer}), byte-level BPE each word
 * with {@code </w>} on its last symbol, and frame the ids with start and end of text in a context of 77.
 *
 * <p>Thread-safe: the only mutable state is a concurrent word cache.
 */
public final class ClipTokenizer {

    public static final int CONTEXT_LENGTH = 77;
    /** CLIP uses the first 49152 - 256 - 2 merges of OpenAI's file: a vocabulary of 49408. */
    public static final int CLIP_MERGE_COUNT = 49152 - 256 - 2;
    /** Base symbols (256 bytes, the same with {@code </w>}) and the two special tokens around the merges. */
    public static final int RESERVED_TOKENS = 512 + 2;
    /** The cache stops growing here, so that a stream of unique words cannot exhaust memory. */
    private static final int CACHE_LIMIT = 500_000;

    private final Vocabulary vocabulary;
    private final BytePairEncoder encoder;
    private final int[] symbolOfByte = new int[256];
    private final int[] finalSymbolOfByte = new int[256];
    private final int startOfText;
    private final int endOfText;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Vocabulary vocabulary, List<Merge> merges) {
        this.vocabulary = vocabulary;
        this.encoder = new BytePairEncoder(vocabulary.mergeTable(merges));
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteSymbols.charOf(b));
            symbolOfByte[b] = vocabulary.id(symbol);
            finalSymbolOfByte[b] = vocabulary.id(symbol + Vocabulary.END_OF_WORD);
        }
        this.startOfText = vocabulary.id(PreTokenizer.START_OF_TEXT);
        this.endOfText = vocabulary.id(PreTokenizer.END_OF_TEXT);
    }

    /**
     * A merges file ({@code .txt.gz} or plain) with the vocabulary it holds: 512 byte symbols, every merge and the two
     * specials, as {@code clipstream tokenizer train} writes it; of OpenAI's file (262,144 merges) the first
     * {@link #CLIP_MERGE_COUNT}, as CLIP uses it.
     */
    public static ClipTokenizer load(Path merges) throws IOException {
        return fromFile(merges, MergesFile.read(merges, CLIP_MERGE_COUNT));
    }

    /** A merges file cut to the merges that a vocabulary of {@code vocabSize} tokens holds. */
    public static ClipTokenizer load(Path merges, int vocabSize) throws IOException {
        if (vocabSize <= RESERVED_TOKENS) {
            throw new IllegalArgumentException("vocabSize must exceed " + RESERVED_TOKENS + ": " + vocabSize);
        }
        List<Merge> rules = MergesFile.read(merges, vocabSize - RESERVED_TOKENS);
        if (rules.size() != vocabSize - RESERVED_TOKENS) {
            throw new IllegalArgumentException(merges + " holds a vocabulary of " + (rules.size() + RESERVED_TOKENS)
                    + " (512 byte symbols, " + rules.size() + " merges, 2 specials); a vocabulary of " + vocabSize
                    + " needs " + (vocabSize - RESERVED_TOKENS) + " merges");
        }
        return fromFile(merges, rules);
    }

    /** The rules of a file, whose name an error about them carries: a merge of unknown parts is not CLIP's BPE. */
    private static ClipTokenizer fromFile(Path merges, List<Merge> rules) {
        try {
            return fromMergeRules(rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(merges + " is not a CLIP merges file: " + e.getMessage(), e);
        }
    }

    /** Hugging Face's {@code vocab.json} (token to id) and {@code merges.txt}. */
    public static ClipTokenizer loadHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> ids = new ObjectMapper().readValue(vocabJson.toFile(), new TypeReference<>() { });
        return new ClipTokenizer(Vocabulary.fromIds(ids), MergesFile.read(mergesTxt, Integer.MAX_VALUE));
    }

    /** Merge lines ({@code "left right"}) in rank order; the vocabulary follows CLIP's layout. */
    public static ClipTokenizer fromMerges(List<String> merges) {
        return fromMergeRules(merges.stream().map(Merge::parse).toList());
    }

    public static ClipTokenizer fromMergeRules(List<Merge> merges) {
        return new ClipTokenizer(Vocabulary.clipLayout(merges), merges);
    }

    /** The bare BPE ids of the text, without start/end of text and without a length limit. */
    public int[] encode(String text) {
        IntBuffer ids = new IntBuffer(32);
        for (String word : PreTokenizer.split(ClipTextCleaner.clean(text))) {
            if (word.equals(PreTokenizer.START_OF_TEXT)) {
                ids.add(startOfText);
            } else if (word.equals(PreTokenizer.END_OF_TEXT)) {
                ids.add(endOfText);
            } else {
                ids.addAll(encodeWord(word));
            }
        }
        return ids.toArray();
    }

    /**
     * {@code clip.tokenize(text, truncate=True)}: start of text, the ids, end of text, zero padding to 77.
     * Longer texts are cut to 77 ids and the last one becomes end of text.
     */
    public int[] tokenize(String text) {
        int[] bpe = encode(text);
        int[] framed = new int[CONTEXT_LENGTH];
        framed[0] = startOfText;
        int kept = Math.min(bpe.length, CONTEXT_LENGTH - 2);
        System.arraycopy(bpe, 0, framed, 1, kept);
        framed[1 + kept] = endOfText;
        return framed;
    }

    /** {@link #tokenize} for each text, as the long ids a model's input tensor takes. */
    public long[][] tokenizeBatch(List<String> texts) {
        long[][] batch = new long[texts.size()][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = Arrays.stream(tokenize(texts.get(i))).asLongStream().toArray();
        }
        return batch;
    }

    /** Whether {@link #tokenize} has to cut this text (more than 75 BPE ids). */
    public boolean wouldTruncate(String text) {
        return encode(text).length + 2 > CONTEXT_LENGTH;
    }

    /**
     * {@code simple_tokenizer.decode}: the tokens' bytes as UTF-8 (invalid bytes become U+FFFD), each
     * {@code </w>} as a space. Every id is decoded, special tokens and padding included.
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder(ids.length * 4);
        for (int id : ids) {
            symbols.append(vocabulary.token(id));
        }
        return ByteSymbols.decode(symbols).replace(Vocabulary.END_OF_WORD, " ");
    }

    public int vocabSize() {
        return vocabulary.size();
    }

    public int startOfText() {
        return startOfText;
    }

    public int endOfText() {
        return endOfText;
    }

    public int contextLength() {
        return CONTEXT_LENGTH;
    }

    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = symbolOfByte[bytes[i] & 0xFF];
        }
        symbols[bytes.length - 1] = finalSymbolOfByte[bytes[bytes.length - 1] & 0xFF];
        int[] ids = encoder.encode(symbols);
        if (cache.size() < CACHE_LIMIT) {
            cache.putIfAbsent(word, ids);
        }
        return ids;
    }
}
