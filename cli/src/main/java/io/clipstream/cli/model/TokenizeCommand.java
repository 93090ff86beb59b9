package io.clipstream.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.text.ClipTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code clipstream tokenize}: CLIP token ids for each input line, exactly as OpenAI's {@code clip.tokenize}. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Read lines from stdin (a JSON string or {\"text\": ...} each) and print one JSON array of 77 ids per line.")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--vocab", required = true, description = "Merges file: OpenAI's bpe_simple_vocab_16e6.txt.gz or a trained one.")
    Path vocab;

    @Option(names = "--vocab-size", paramLabel = "N",
            description = "Only needed to tokenize as a model with a smaller vocabulary: use the file's first N - 514 merges. "
                    + "Default: the file's own size (512 byte symbols + its merges + 2 specials; at most CLIP's "
                    + ClipConfig.CLIP_VOCAB_SIZE + " for OpenAI's file).")
    Integer vocabSize;

    @Override
    public Integer call() throws Exception {
        ClipTokenizer tokenizer = vocabSize == null ? ClipTokenizer.load(vocab) : ClipTokenizer.load(vocab, vocabSize);
        ObjectMapper json = new ObjectMapper();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (Exception e) {
                System.err.println("line " + lineNumber + ": not JSON; write each text as a JSON string or {\"text\": ...}");
                return 2;
            }
            JsonNode text = node.isTextual() ? node : node.get("text");
            if (text == null || !text.isTextual()) {
                System.err.println("line " + lineNumber + ": expected a JSON string or an object with a \"text\" string");
                return 2;
            }
            out.println(Arrays.toString(tokenizer.tokenize(text.asText())).replace(" ", ""));
        }
        out.flush();
        return 0;
    }
}
