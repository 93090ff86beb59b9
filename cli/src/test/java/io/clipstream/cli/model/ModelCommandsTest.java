package io.clipstream.cli.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.CliRun;
import io.clipstream.cli.Clipstream;
import io.clipstream.model.checkpoint.Safetensors;
import io.clipstream.model.text.ClipTokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("clipstream.fixtures"));

    /** Runs the CLI with stdin, returns [exit code, stdout bytes]. */
    private static Object[] run(byte[] stdin, String... args) {
        InputStream originalIn = System.in;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Clipstream.commandLine().execute(args), out.toByteArray()};
        } finally {
            System.setIn(originalIn);
            System.setOut(originalOut);
        }
    }

    @Test
    void tokenizeReproducesOpenAiForTheReferenceCases() throws Exception {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("clip/tokenizer-cases.jsonl")).subList(0, 200);
        StringBuilder stdin = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            stdin.append(JSON.writeValueAsString(node.get("text"))).append('\n');
            expected.add(node.get("ids").toString());
        }
        Object[] result = run(stdin.toString().getBytes(StandardCharsets.UTF_8), "tokenize", "--vocab",
                FIXTURES.resolve("clip/bpe_simple_vocab_16e6.txt.gz").toString());
        assertEquals(0, result[0]);
        List<String> actual = new String((byte[]) result[1], StandardCharsets.UTF_8).lines().toList();
        assertEquals(expected, actual);
    }

    @Test
    void preprocessWritesWhatPillowWrites(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("coffee.png");
        Object[] result = run(new byte[0], "preprocess", "--size", "224",
                FIXTURES.resolve("preprocess/coffee.jpg").toString(), out.toString());
        assertEquals(0, result[0]);
        BufferedImage ours = ImageIO.read(out.toFile());
        BufferedImage pillow = ImageIO.read(FIXTURES.resolve("preprocess/coffee.clip224.png").toFile());
        assertEquals(224, ours.getWidth());
        assertEquals(224, ours.getHeight());
        assertArrayEquals(ours.getRGB(0, 0, 224, 224, null, 0, 224), pillow.getRGB(0, 0, 224, 224, null, 0, 224));
    }

    @Test
    void modelInfoCountsThePublishedViTB32() {
        Object[] result = run(new byte[0], "model", "info", "--config", "vit-b-32");
        assertEquals(0, result[0]);
        String out = new String((byte[]) result[1], StandardCharsets.UTF_8);
        assertTrue(out.contains("parameters: 151,277,313"), out);
        assertTrue(out.contains("\"vision_width\""), out);
    }

    @Test
    void embedAgreesWithTheReferenceImplementationForBothNamings() throws Exception {
        JsonNode caseJson = JSON.readTree(FIXTURES.resolve("clip-tiny/case.json").toFile());
        List<String> args = new ArrayList<>(List.of("embed", "--vocab", FIXTURES.resolve("clip/bpe_simple_vocab_16e6.txt.gz").toString()));
        caseJson.get("images").forEach(i -> {
            args.add("--image");
            args.add(FIXTURES.resolve("preprocess").resolve(i.asText()).toString());
        });
        caseJson.get("texts").forEach(t -> {
            args.add("--text");
            args.add(t.asText());
        });
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> expected = Safetensors.read(FIXTURES.resolve("clip-tiny/expected.safetensors"), manager);
            float[][] images = rows(expected.get("image_features"));
            float[][] texts = rows(expected.get("text_features"));
            for (String weights : List.of("openai.safetensors", "hf.safetensors")) {
                List<String> withWeights = new ArrayList<>(args);
                withWeights.addAll(List.of("--weights", FIXTURES.resolve("clip-tiny").resolve(weights).toString()));
                Object[] result = run(new byte[0], withWeights.toArray(String[]::new));
                assertEquals(0, result[0], weights);
                List<JsonNode> lines = new ArrayList<>();
                for (String line : new String((byte[]) result[1], StandardCharsets.UTF_8).lines().toList()) {
                    lines.add(JSON.readTree(line));
                }
                assertEquals(images.length + texts.length, lines.size());
                double worst = 1;
                for (int i = 0; i < lines.size(); i++) {
                    float[] reference = i < images.length ? images[i] : texts[i - images.length];
                    worst = Math.min(worst, cosine(reference, floats(lines.get(i).get("features"))));
                    assertEquals(1.0, norm(floats(lines.get(i).get("embedding"))), 1e-4);
                }
                System.out.printf("clipstream embed (%s) vs reference: worst cosine %.7f%n", weights, worst);
                assertTrue(worst >= 0.9999, weights + ": worst cosine " + worst);
            }
        }
    }

    @Test
    void tokenizerTrainWritesMergesTheTokenizerLoads(@TempDir Path dir) throws Exception {
        StringBuilder captions = new StringBuilder();
        for (String line : Files.readAllLines(FIXTURES.resolve("emoji/pairs.jsonl"))) {
            captions.append(JSON.readTree(line).get("caption").asText()).append('\n');
        }
        Object[] result = run(captions.toString().getBytes(StandardCharsets.UTF_8), "tokenizer", "train", "--vocab-size", "1500");
        assertEquals(0, result[0]);
        byte[] gz = (byte[]) result[1];
        assertEquals(0x1F, gz[0] & 0xFF, "gzip on stdout");
        Path merges = dir.resolve("merges.txt.gz");
        Files.write(merges, gz);
        ClipTokenizer tokenizer = ClipTokenizer.load(merges, 1500);
        assertTrue(tokenizer.vocabSize() <= 1500);
        int[] ids = tokenizer.encode("grinning face with big eyes");
        assertTrue(ids.length < "grinning face with big eyes".length(), "common words merge into few tokens");
        for (int id : ids) {
            assertTrue(id < tokenizer.vocabSize());
        }
    }

    @Test
    void tokenizeTakesTheSizeOfATrainedVocabularyFromTheFile(@TempDir Path dir) throws Exception {
        StringBuilder captions = new StringBuilder();
        for (String line : Files.readAllLines(FIXTURES.resolve("emoji/pairs.jsonl"))) {
            captions.append(JSON.readTree(line).get("caption").asText()).append('\n');
        }
        Path merges = dir.resolve("trained.txt.gz");
        assertEquals(0, CliRun.run(captions.toString().getBytes(StandardCharsets.UTF_8), "tokenizer", "train",
                "--vocab-size", "1500", "-o", merges.toString()).code());
        byte[] texts = "\"grinning face with big eyes\"\n{\"text\": \"red heart\"}\n".getBytes(StandardCharsets.UTF_8);
        ClipTokenizer expected = ClipTokenizer.load(merges, 1500);
        List<String> expectedIds = List.of(
                java.util.Arrays.toString(expected.tokenize("grinning face with big eyes")).replace(" ", ""),
                java.util.Arrays.toString(expected.tokenize("red heart")).replace(" ", ""));

        CliRun.Result inferred = CliRun.run(texts, "tokenize", "--vocab", merges.toString()).assertNoStackTrace();
        assertEquals(0, inferred.code(), inferred.toString());
        assertEquals(expectedIds, inferred.out().lines().toList());
        assertTrue(inferred.out().startsWith("[1498,") && inferred.out().contains(",1499,"),
                "start and end of text are the file's own last ids: " + inferred.out());

        CliRun.Result checked = CliRun.run(texts, "tokenize", "--vocab", merges.toString(), "--vocab-size", "1500");
        assertEquals(expectedIds, checked.out().lines().toList(), checked.toString());
        CliRun.run(texts, "tokenize", "--vocab", merges.toString(), "--vocab-size", "2000")
                .failsWithOneLine(merges + " holds a vocabulary of 1500 (512 byte symbols, 986 merges, 2 specials)");
    }

    private static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        int d = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
