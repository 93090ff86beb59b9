package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.Fixtures;
import io.clipstream.model.text.ClipTokenizerFixtureTest.TokenizerCase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

    private static final Path OPENAI_MERGES = Fixtures.resolve("clip/bpe_simple_vocab_16e6.txt.gz");

    private static ClipTokenizer tokenizer;
    private static List<TokenizerCase> cases;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(OPENAI_MERGES);
        cases = ClipTokenizerFixtureTest.readCases(Fixtures.resolve("clip/tokenizer-cases.jsonl"));
    }

    @Test
    void framesWithStartAndEndOfTextAndPadsWithZeros() {
        int[] ids = tokenizer.tokenize("a photo of a dog.");
        assertEquals(77, ids.length);
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 1929, 269, 49407, 0}, java.util.Arrays.copyOf(ids, 9));
        assertEquals(0, ids[76]);
    }

    @Test
    void truncatesToSeventySevenEndingWithEndOfText() {
        String longText = "word ".repeat(100);
        int[] ids = tokenizer.tokenize(longText);
        assertTrue(tokenizer.wouldTruncate(longText));
        assertEquals(100, tokenizer.encode(longText).length);
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[76]);
        assertEquals(tokenizer.encode("word")[0], ids[75]);
        // 75 ids fit exactly.
        assertFalse(tokenizer.wouldTruncate("word ".repeat(75)));
        assertEquals(49407, tokenizer.tokenize("word ".repeat(75))[76]);
        assertTrue(tokenizer.wouldTruncate("word ".repeat(76)));
    }

    @Test
    void literalSpecialTokensInTextBecomeSpecialIds() {
        assertArrayEquals(new int[] {49406, 49407}, tokenizer.encode("<|startoftext|><|ENDOFTEXT|>"));
    }

    @Test
    void batchIsTokenizeForEachText() {
        long[][] batch = tokenizer.tokenizeBatch(List.of("a dog", "", "a cat"));
        assertEquals(3, batch.length);
        for (int i = 0; i < 3; i++) {
            int[] single = tokenizer.tokenize(List.of("a dog", "", "a cat").get(i));
            for (int k = 0; k < 77; k++) {
                assertEquals(single[k], batch[i][k]);
            }
        }
    }

    @Test
    void decodesLikeSimpleTokenizer() {
        assertEquals("a photo of a dog . ", tokenizer.decode(tokenizer.encode("A photo of a DOG.")));
        assertEquals("<|startoftext|>hi <|endoftext|>", tokenizer.decode(new int[] {49406, tokenizer.encode("hi")[0], 49407}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {49408}));
    }

    @Test
    void decodeRoundTripsPlainAsciiText() {
        int checked = 0;
        for (TokenizerCase c : cases) {
            // Special tokens decode without the space that ends a word.
            if (!c.text().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F) || c.text().isBlank()
                    || c.text().contains("<|")) {
                continue;
            }
            String cleaned = ClipTextCleaner.clean(c.text());
            String decoded = tokenizer.decode(tokenizer.encode(c.text()));
            // CLIP's decoder ends every word with a space, so words come back separated by single spaces.
            assertEquals(String.join(" ", PreTokenizer.split(cleaned)) + " ", decoded, c.text());
            assertEquals(cleaned.replace(" ", ""), decoded.replace(" ", ""), c.text());
            checked++;
        }
        assertTrue(checked > 1400, "ASCII cases checked: " + checked);
    }

    @Test
    void hasTheSameIdsFromHuggingFaceFiles(@TempDir Path dir) throws IOException {
        List<String> merges = readOpenAiMerges(ClipTokenizer.CLIP_MERGE_COUNT);
        Path vocabJson = dir.resolve("vocab.json");
        Path mergesTxt = dir.resolve("merges.txt");
        Map<String, Integer> vocab = openAiVocabulary(merges);
        // Hugging Face does not keep id order in the file: shuffle it so ids must come from the values.
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(vocab.entrySet());
        Collections.shuffle(entries, new java.util.Random(7));
        Map<String, Integer> shuffled = new LinkedHashMap<>();
        entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
        new ObjectMapper().writeValue(vocabJson.toFile(), shuffled);
        Files.write(mergesTxt, prepend("#version: 0.2", merges), StandardCharsets.UTF_8);

        ClipTokenizer hf = ClipTokenizer.loadHuggingFace(vocabJson, mergesTxt);
        assertEquals(tokenizer.vocabSize(), hf.vocabSize());
        assertEquals(49406, hf.startOfText());
        assertEquals(49407, hf.endOfText());
        for (TokenizerCase c : cases) {
            assertArrayEquals(c.ids(), hf.tokenize(c.text()), c.text());
        }
    }

    @Test
    void loadsPlainTextMergesAndMergeLists(@TempDir Path dir) throws IOException {
        List<String> merges = readOpenAiMerges(ClipTokenizer.CLIP_MERGE_COUNT);
        Path plain = dir.resolve("bpe.txt");
        Files.write(plain, prepend("\"bpe_simple_vocab_16e6.txt#version: 0.2", merges), StandardCharsets.UTF_8);
        ClipTokenizer fromPlain = ClipTokenizer.load(plain);
        ClipTokenizer fromList = ClipTokenizer.fromMerges(merges);
        for (TokenizerCase c : cases.subList(0, 200)) {
            assertArrayEquals(c.ids(), fromPlain.tokenize(c.text()), c.text());
            assertArrayEquals(c.ids(), fromList.tokenize(c.text()), c.text());
        }
    }

    @Test
    void aSmallerVocabularyCutsTheMergeList() throws IOException {
        ClipTokenizer small = ClipTokenizer.load(OPENAI_MERGES, 1000);
        assertEquals(1000, small.vocabSize());
        assertEquals(998, small.startOfText());
        assertEquals(999, small.endOfText());
        for (int id : small.encode("a photo of a dog, a type of supercalifragilistic pet")) {
            assertTrue(id < 998, "id " + id);
        }
        assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(OPENAI_MERGES, 514));
    }

    @Test
    void aTrainedFileHoldsItsOwnSizeAndATooLargeOneSaysIt(@TempDir Path dir) throws IOException {
        Path trained = dir.resolve("trained.txt.gz");
        MergesFile.write(trained, readOpenAiMerges(986).stream().map(Merge::parse).toList());
        assertEquals(1500, ClipTokenizer.load(trained).vocabSize());
        assertEquals(1000, ClipTokenizer.load(trained, 1000).vocabSize());
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> ClipTokenizer.load(trained, 49408));
        assertEquals(trained + " holds a vocabulary of 1500 (512 byte symbols, 986 merges, 2 specials); a vocabulary"
                + " of 49408 needs 48894 merges", tooLarge.getMessage());
    }

    @Test
    void aFileThatIsNotMergesNamesItselfAndTheLine(@TempDir Path dir) throws IOException {
        Path threeWords = dir.resolve("three.txt");
        Files.writeString(threeWords, "#version: 0.2\nt h\nnot a merge\n");
        IllegalArgumentException notAMerge = assertThrows(IllegalArgumentException.class,
                () -> ClipTokenizer.load(threeWords));
        assertTrue(notAMerge.getMessage().startsWith(threeWords + " line 3 is not a merge"), notAMerge.getMessage());
        Path words = dir.resolve("words.txt");
        Files.writeString(words, "#version: 0.2\nhello world\n");
        IllegalArgumentException unknownParts = assertThrows(IllegalArgumentException.class,
                () -> ClipTokenizer.load(words));
        assertTrue(unknownParts.getMessage().startsWith(words + " is not a CLIP merges file: "), unknownParts.getMessage());
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ClipTokenizer shared = ClipTokenizer.load(OPENAI_MERGES);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < cases.size(); i++) {
                        TokenizerCase c = cases.get((i * 7 + offset * 101) % cases.size());
                        if (!java.util.Arrays.equals(c.ids(), shared.tokenize(c.text()))) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(0, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** OpenAI's construction, written out independently of the code under test. */
    static Map<String, Integer> openAiVocabulary(List<String> merges) {
        List<String> vocab = new ArrayList<>();
        List<Integer> bytes = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bytes.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bytes.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bytes.add(b);
        }
        List<Integer> chars = new ArrayList<>(bytes);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bytes.contains(b)) {
                bytes.add(b);
                chars.add(256 + n++);
            }
        }
        chars.forEach(c -> vocab.add(Character.toString(c)));
        chars.forEach(c -> vocab.add(Character.toString(c) + "</w>"));
        merges.forEach(m -> vocab.add(m.replace(" ", "")));
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        return ids;
    }

    static List<String> readOpenAiMerges(int count) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(OPENAI_MERGES)), StandardCharsets.UTF_8))) {
            return reader.lines().skip(1).limit(count).toList();
        }
    }

    private static List<String> prepend(String header, List<String> lines) {
        List<String> all = new ArrayList<>(lines.size() + 1);
        all.add(header);
        all.addAll(lines);
        return all;
    }
}
