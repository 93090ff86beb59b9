package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.Fixtures;
import io.clipstream.model.text.ClipTokenizerFixtureTest.TokenizerCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of tokenization and BPE training. Run alone:
 * {@code ./mvnw -q -B -pl preprocess -am -Pbench test -Dtest=TokenizerBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class TokenizerBench {

    private static final Path MERGES = Fixtures.resolve("clip/bpe_simple_vocab_16e6.txt.gz");
    private static final int COLD_ROUNDS = 7;
    private static final int WARM_PASSES = 30;

    @Test
    void tokenizeFixtureTexts() throws IOException {
        List<String> texts = ClipTokenizerFixtureTest.readCases(Fixtures.resolve("clip/tokenizer-cases.jsonl"))
                .stream().map(TokenizerCase::text).toList();

        long loadStart = System.nanoTime();
        ClipTokenizer.load(MERGES);
        System.out.printf("load OpenAI merges: %.0f ms%n", (System.nanoTime() - loadStart) / 1e6);

        // Cold: a fresh tokenizer (empty word cache) for every pass; the first passes also warm the JIT.
        double[] coldSeconds = new double[COLD_ROUNDS];
        long tokens = 0;
        for (int round = 0; round < COLD_ROUNDS; round++) {
            ClipTokenizer fresh = ClipTokenizer.load(MERGES);
            long start = System.nanoTime();
            tokens = pass(fresh, texts);
            coldSeconds[round] = (System.nanoTime() - start) / 1e9;
        }
        report("cold cache", texts.size(), tokens, coldSeconds);

        ClipTokenizer warm = ClipTokenizer.load(MERGES);
        for (int i = 0; i < 5; i++) {
            pass(warm, texts);
        }
        double[] warmSeconds = new double[WARM_PASSES];
        for (int i = 0; i < WARM_PASSES; i++) {
            long start = System.nanoTime();
            pass(warm, texts);
            warmSeconds[i] = (System.nanoTime() - start) / 1e9;
        }
        report("warm cache", texts.size(), tokens, warmSeconds);
        assertTrue(tokens > texts.size());
    }

    @Test
    void trainOnEmojiCaptions() throws IOException {
        List<String> captions = BpeTrainerTest.emojiCaptions();
        for (int vocabSize : new int[] {2000, 2000, 4000}) {
            long start = System.nanoTime();
            WordFrequencies words = WordFrequencies.of(captions);
            long counted = System.nanoTime();
            List<Merge> merges = new BpeTrainer(vocabSize).train(words);
            long end = System.nanoTime();
            System.out.printf("train emoji captions (%d captions, %d distinct words) to vocab %d: %d merges, "
                            + "count %.0f ms + merge %.0f ms = %.0f ms%n", captions.size(), words.distinctWords(),
                    vocabSize, merges.size(), (counted - start) / 1e6, (end - counted) / 1e6, (end - start) / 1e6);
        }
    }

    @Test
    void trainOnHundredThousandCaptions() throws IOException {
        List<String> captions = syntheticCaptions(100_000);
        long start = System.nanoTime();
        WordFrequencies words = WordFrequencies.of(captions);
        long counted = System.nanoTime();
        List<Merge> merges = new BpeTrainer(16_000).train(words);
        long end = System.nanoTime();
        System.out.printf("train %d synthetic captions (%d distinct words) to vocab 16000: %d merges, "
                        + "count %.0f ms + merge %.0f ms = %.0f ms%n", captions.size(), words.distinctWords(),
                merges.size(), (counted - start) / 1e6, (end - counted) / 1e6, (end - start) / 1e6);
        assertEquals(16_000 - 514, merges.size());
    }

    private static long pass(ClipTokenizer tokenizer, List<String> texts) {
        long tokens = 0;
        for (String text : texts) {
            int[] ids = tokenizer.tokenize(text);
            for (int k = 1; k < ids.length && ids[k] != 0; k++) {
                tokens++;
            }
        }
        return tokens;
    }

    private static void report(String label, int texts, long tokensPerPass, double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double best = sorted[0];
        System.out.printf("%s: %d texts, %d tokens per pass; median %.1f ms/pass = %.0f texts/s, %.0f tokens/s "
                        + "(best %.0f texts/s, %.0f tokens/s; %d passes)%n", label, texts, tokensPerPass,
                median * 1e3, texts / median, tokensPerPass / median, texts / best, tokensPerPass / best,
                seconds.length);
    }

    /**
     * Captions of 6-14 words drawn from the fixture vocabularies, a fifth of the words altered so that the
     * corpus has many rare words as real captions do. Fixed seed: the same corpus every run.
     */
    private static List<String> syntheticCaptions(int count) throws IOException {
        LinkedHashSet<String> vocabulary = new LinkedHashSet<>();
        List<String> sources = new ArrayList<>(BpeTrainerTest.emojiCaptions());
        ClipTokenizerFixtureTest.readCases(Fixtures.resolve("clip/tokenizer-cases.jsonl"))
                .forEach(c -> sources.add(c.text()));
        for (String source : sources) {
            vocabulary.addAll(Arrays.asList(source.split("\\s+")));
        }
        vocabulary.remove("");
        List<String> words = new ArrayList<>(vocabulary);
        Random random = new Random(42);
        List<String> captions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder caption = new StringBuilder();
            int length = 6 + random.nextInt(9);
            for (int w = 0; w < length; w++) {
                String word = words.get(random.nextInt(words.size()));
                if (random.nextInt(5) == 0 && word.length() > 2) {
                    char[] letters = word.toCharArray();
                    letters[random.nextInt(letters.length)] = (char) ('a' + random.nextInt(26));
                    word = new String(letters);
                }
                caption.append(w == 0 ? "" : " ").append(word);
            }
            captions.add(caption.toString());
        }
        return captions;
    }
}
