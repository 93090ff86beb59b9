package io.clipstream.cli.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.checkpoint.WeightImport;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.ImageDecoder;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.text.ClipTokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clipstream embed}: features and embeddings of images and texts, from published CLIP weights (OpenAI or
 * Hugging Face names; the config read off the tensor shapes) or a Clipstream checkpoint directory.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print {\"input\", \"features\" (projected, before L2 normalisation), \"embedding\"} per input as JSON lines.")
public final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, description = "A .safetensors file of published CLIP weights, or a Clipstream checkpoint directory.")
    Path weights;

    @Option(names = "--vocab", description = "Merges file for --text (default: the checkpoint's own tokenizer).")
    Path vocab;

    @Option(names = "--image", description = "An image file to embed (repeatable).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", description = "A text to embed (repeatable).")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (images.isEmpty() && texts.isEmpty()) {
            System.err.println("Nothing to embed: give --image FILE and/or --text STRING");
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (NDManager manager = Engines.newManager()) {
            ClipModel model;
            Optional<Path> tokenizerFile = Optional.ofNullable(vocab);
            if (Files.isDirectory(weights)) {
                Checkpoints.Loaded checkpoint = Checkpoints.load(weights, manager);
                model = checkpoint.model();
                tokenizerFile = tokenizerFile.or(checkpoint::tokenizerFile);
            } else {
                model = WeightImport.load(weights, manager);
            }
            if (!images.isEmpty()) {
                ClipImageTransform transform = ClipImageTransform.openAi(model.config().imageSize())
                        .withDecoder(new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1)));
                List<RgbImage> decoded = new ArrayList<>();
                for (Path image : images) {
                    try {
                        decoded.add(transform.preprocess(Files.readAllBytes(image)));
                    } catch (InvalidImageException e) {
                        System.err.println(image + ": " + e.reason() + ": " + e.getMessage());
                        return 1;
                    }
                }
                NDArray features = model.encodeImage(PixelTensors.of(manager, transform, decoded));
                print(json, out, images.stream().map(Path::toString).toList(), features);
            }
            if (!texts.isEmpty()) {
                if (tokenizerFile.isEmpty()) {
                    System.err.println("--text needs a tokenizer: pass --vocab (OpenAI's bpe_simple_vocab_16e6.txt.gz for published weights)");
                    return 2;
                }
                ClipTokenizer tokenizer = ClipTokenizer.load(tokenizerFile.get(), model.config().vocabSize());
                NDArray features = model.encodeText(manager.create(tokenizer.tokenizeBatch(texts)));
                print(json, out, texts, features);
            }
        }
        out.flush();
        return 0;
    }

    private static void print(ObjectMapper json, PrintStream out, List<String> inputs, NDArray features) throws Exception {
        float[][] raw = rows(features);
        float[][] normalized = rows(ClipModel.l2Normalize(features));
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode line = json.createObjectNode();
            line.put("input", inputs.get(i));
            line.set("features", json.valueToTree(raw[i]));
            line.set("embedding", json.valueToTree(normalized[i]));
            out.println(json.writeValueAsString(line));
        }
    }

    private static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        int d = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, rows[i], 0, d);
        }
        return rows;
    }
}
