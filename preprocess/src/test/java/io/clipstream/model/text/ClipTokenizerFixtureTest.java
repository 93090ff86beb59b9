package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every case that OpenAI's simple_tokenizer and clip.tokenize produced must come out identical. */
class ClipTokenizerFixtureTest {

    private static final int EXPECTED_CASES = 1473;

    private static ClipTokenizer tokenizer;
    private static List<TokenizerCase> cases;

    record TokenizerCase(int line, String text, int[] ids, boolean truncated, int[] bpe) {
    }

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(Fixtures.resolve("clip/bpe_simple_vocab_16e6.txt.gz"));
        cases = readCases(Fixtures.resolve("clip/tokenizer-cases.jsonl"));
    }

    static List<TokenizerCase> readCases(Path path) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<TokenizerCase> result = new ArrayList<>();
        List<String> lines = Files.readAllLines(path);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(lines.get(i));
            result.add(new TokenizerCase(i + 1, node.get("text").asText(), ints(node.get("ids")),
                    node.get("truncated").asBoolean(), ints(node.get("bpe"))));
        }
        return result;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    @Test
    void vocabularyIsClips() {
        assertEquals(49408, tokenizer.vocabSize());
        assertEquals(49406, tokenizer.startOfText());
        assertEquals(49407, tokenizer.endOfText());
        assertEquals(77, tokenizer.contextLength());
    }

    @Test
    void everyFixtureCaseMatches() {
        assertEquals(EXPECTED_CASES, cases.size(), "fixture line count");
        List<String> failures = new ArrayList<>();
        for (TokenizerCase c : cases) {
            List<String> problems = new ArrayList<>();
            int[] bpe = tokenizer.encode(c.text());
            if (!Arrays.equals(c.bpe(), bpe)) {
                problems.add("bpe expected " + Arrays.toString(c.bpe()) + " got " + Arrays.toString(bpe));
            }
            int[] ids = tokenizer.tokenize(c.text());
            if (!Arrays.equals(c.ids(), ids)) {
                problems.add("ids expected " + Arrays.toString(c.ids()) + " got " + Arrays.toString(ids));
            }
            if (c.truncated() != tokenizer.wouldTruncate(c.text())) {
                problems.add("truncated expected " + c.truncated());
            }
            if (!problems.isEmpty()) {
                failures.add("line " + c.line() + " " + quote(c.text()) + ": " + String.join("; ", problems));
            }
        }
        System.out.printf("ClipTokenizer fixture: %d/%d cases matched%n", cases.size() - failures.size(), cases.size());
        failures.stream().limit(10).forEach(System.out::println);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases differ, first: "
                + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
    }

    private static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return "'" + shown.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
