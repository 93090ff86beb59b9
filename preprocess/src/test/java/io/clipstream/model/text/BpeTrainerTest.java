package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static final int VOCAB_SIZE = 2000;

    private static List<String> captions;
    private static List<Merge> merges;
    private static ClipTokenizer trained;

    @BeforeAll
    static void train() throws IOException {
        captions = emojiCaptions();
        merges = new BpeTrainer(VOCAB_SIZE).train(captions);
        trained = ClipTokenizer.fromMergeRules(merges);
    }

    static List<String> emojiCaptions() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> result = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.resolve("emoji/pairs.jsonl"))) {
            if (!line.isBlank()) {
                result.add(json.readTree(line).get("caption").asText());
            }
        }
        return result;
    }

    @Test
    void fillsTheRequestedVocabulary() {
        assertEquals(VOCAB_SIZE - 514, merges.size());
        assertEquals(VOCAB_SIZE, trained.vocabSize());
        assertEquals(VOCAB_SIZE - 2, trained.startOfText());
        assertEquals(VOCAB_SIZE - 1, trained.endOfText());
    }

    @Test
    void trainingIsDeterministicAndIgnoresCaptionOrder() {
        assertEquals(merges, new BpeTrainer(VOCAB_SIZE).train(captions));
        List<String> shuffled = new ArrayList<>(captions);
        Collections.shuffle(shuffled, new Random(11));
        assertEquals(merges, new BpeTrainer(VOCAB_SIZE).train(shuffled));
    }

    @Test
    void matchesANaiveRecountingTrainer() {
        List<String> some = captions.subList(0, 400);
        List<Merge> incremental = new BpeTrainer(900).train(some);
        assertEquals(naiveTrain(some, 900 - 514, 2), incremental);
    }

    @Test
    void decodeOfEncodeGivesTheCleanedWords() {
        for (String caption : captions) {
            String cleaned = ClipTextCleaner.clean(caption);
            String decoded = trained.decode(trained.encode(caption));
            String words = String.join(" ", PreTokenizer.split(cleaned));
            assertEquals(words.isEmpty() ? "" : words + " ", decoded, caption);
            assertEquals(cleaned.replace(" ", ""), decoded.replace(" ", ""), caption);
        }
    }

    @Test
    void everyIdIsBelowTheVocabularySize() {
        for (String caption : captions) {
            for (int id : trained.tokenize(caption)) {
                assertTrue(id >= 0 && id < VOCAB_SIZE, caption + ": " + id);
            }
        }
        // Text the training never saw still has its bytes.
        for (int id : trained.tokenize("Ωμέγα and 日本語 with 🚀")) {
            assertTrue(id >= 0 && id < VOCAB_SIZE);
        }
    }

    @Test
    void commonWordsBecomeSingleTokens() {
        for (String word : List.of("flag", "face", "woman", "man", "person", "animal", "button", "heart")) {
            int[] ids = trained.encode(word);
            assertEquals(1, ids.length, word + " -> " + java.util.Arrays.toString(ids));
            assertEquals(word + " ", trained.decode(ids));
        }
    }

    @Test
    void savedMergesLoadBackAsTheSameTokenizer(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("emoji-bpe.txt.gz");
        Path plain = dir.resolve("emoji-bpe.txt");
        BpeTrainer.save(merges, gz);
        BpeTrainer.save(merges, plain);
        try (InputStream in = Files.newInputStream(gz)) {
            assertEquals(0x1f, in.read());
            assertEquals(0x8b, in.read());
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.startsWith("#version: 0.2\n" + merges.get(0) + "\n"), text.substring(0, 40));
        }
        assertEquals(Files.readAllLines(plain).subList(1, merges.size() + 1),
                merges.stream().map(Merge::toString).toList());
        for (ClipTokenizer loaded : List.of(ClipTokenizer.load(gz), ClipTokenizer.load(plain),
                ClipTokenizer.load(gz, VOCAB_SIZE))) {
            assertEquals(VOCAB_SIZE, loaded.vocabSize());
            for (String caption : captions.subList(0, 300)) {
                assertArrayEquals(trained.tokenize(caption), loaded.tokenize(caption), caption);
            }
        }
    }

    @Test
    void stopsEarlyWhenNoPairIsFrequentEnough() {
        List<Merge> few = new BpeTrainer(10_000).train(List.of("abab abab", "cd"));
        // "abab" twice: a b, then a b</w> (ties go to the smaller pair), then ab ab</w>; nothing else repeats.
        assertEquals(List.of(new Merge("a", "b"), new Merge("a", "b</w>"), new Merge("ab", "ab</w>")), few);
        assertEquals(514 + 3, ClipTokenizer.fromMergeRules(few).vocabSize());
    }

    /** Textbook BPE: recount every pair before each merge. Same tie-break and same ban on duplicate tokens. */
    private static List<Merge> naiveTrain(List<String> texts, int mergeCount, int minCount) {
        Map<List<String>, Long> words = new HashMap<>();
        for (String text : texts) {
            for (String word : PreTokenizer.split(ClipTextCleaner.clean(text))) {
                String symbols = ByteSymbols.encode(word);
                List<String> split = new ArrayList<>();
                for (int i = 0; i < symbols.length(); i++) {
                    split.add(symbols.charAt(i) + (i == symbols.length() - 1 ? "</w>" : ""));
                }
                words.merge(split, 1L, Long::sum);
            }
        }
        Set<String> tokens = new HashSet<>(List.of(ByteSymbols.alphabet()));
        for (String symbol : ByteSymbols.alphabet()) {
            tokens.add(symbol + "</w>");
        }
        tokens.add("<|startoftext|>");
        tokens.add("<|endoftext|>");
        Set<Merge> banned = new HashSet<>();
        List<Merge> result = new ArrayList<>();
        while (result.size() < mergeCount) {
            Map<Merge, Long> counts = new HashMap<>();
            words.forEach((word, freq) -> {
                for (int i = 0; i + 1 < word.size(); i++) {
                    counts.merge(new Merge(word.get(i), word.get(i + 1)), freq, Long::sum);
                }
            });
            Merge best = null;
            long bestCount = 0;
            for (Map.Entry<Merge, Long> e : counts.entrySet()) {
                Merge m = e.getKey();
                if (banned.contains(m)) {
                    continue;
                }
                long c = e.getValue();
                if (best == null || c > bestCount || (c == bestCount && (m.left().compareTo(best.left()) < 0
                        || (m.left().equals(best.left()) && m.right().compareTo(best.right()) < 0)))) {
                    best = m;
                    bestCount = c;
                }
            }
            if (best == null || bestCount < minCount) {
                break;
            }
            if (tokens.contains(best.joined())) {
                banned.add(best);
                continue;
            }
            tokens.add(best.joined());
            result.add(best);
            Map<List<String>, Long> next = new HashMap<>();
            for (Map.Entry<List<String>, Long> e : words.entrySet()) {
                List<String> word = e.getKey();
                List<String> merged = new ArrayList<>();
                for (int i = 0; i < word.size(); ) {
                    if (i + 1 < word.size() && word.get(i).equals(best.left()) && word.get(i + 1).equals(best.right())) {
                        merged.add(best.joined());
                        i += 2;
                    } else {
                        merged.add(word.get(i++));
                    }
                }
                next.merge(merged, e.getValue(), Long::sum);
            }
            words = next;
        }
        return result;
    }
}
