package io.clipstream.cli.model;

import io.clipstream.model.text.BpeTrainer;
import io.clipstream.model.text.Merge;
import io.clipstream.model.text.MergesFile;
import io.clipstream.model.text.WordFrequencies;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code clipstream tokenizer train}: a CLIP-style byte-level BPE vocabulary for a domain's captions. */
@Command(name = "tokenizer", description = "Tokenizer vocabularies.", subcommands = TokenizerCommand.Train.class)
public final class TokenizerCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train merges from captions on stdin (one per line); write them gzipped to stdout or --output.")
    static final class Train implements Callable<Integer> {

        @Option(names = "--vocab-size", required = true, description = "Target vocabulary size (>= 515: 512 byte symbols, merges, 2 specials).")
        int vocabSize;

        @Option(names = {"-o", "--output"}, description = "Write here (gzipped when it ends in .gz) instead of stdout.")
        Path output;

        @Option(names = "--plain", description = "Write plain text to stdout instead of gzip.")
        boolean plain;

        @Override
        public Integer call() throws Exception {
            WordFrequencies words = new WordFrequencies();
            long captions = 0;
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    words.addCaption(line);
                    captions++;
                }
            }
            long t0 = System.nanoTime();
            List<Merge> merges = new BpeTrainer(vocabSize).train(words);
            if (output != null) {
                MergesFile.write(output, merges);
            } else {
                OutputStream out = System.out;
                MergesFile.write(out, merges, !plain);
                out.flush();
            }
            System.err.printf("tokenizer train: %d captions, %d distinct words → %d merges (vocabulary %d) in %.1f s%n",
                    captions, words.distinctWords(), merges.size(), merges.size() + 514, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
