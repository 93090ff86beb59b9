package io.clipstream.cli.model;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.ImageDecoder;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.ImageWriter;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipstream preprocess}: what the model sees of an image, before normalisation. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Decode, resize the shorter side (bicubic, as Pillow) and centre-crop an image; write it as PNG.")
public final class PreprocessCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "224", description = "Output side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Parameters(index = "0", paramLabel = "IN", description = "An image file (JPEG, PNG, GIF, BMP, WebP).")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.png", description = "Where to write the RGB result.")
    Path output;

    @Override
    public Integer call() throws Exception {
        ClipImageTransform transform = ClipImageTransform.openAi(size)
                .withDecoder(new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1)));
        try {
            RgbImage image = transform.preprocess(Files.readAllBytes(input));
            ImageWriter.writePng(image, output);
            System.out.printf("%s → %s (%dx%d RGB)%n", input, output, image.width(), image.height());
            return 0;
        } catch (InvalidImageException e) {
            System.err.println(input + ": " + e.reason() + ": " + e.getMessage());
            return 1;
        }
    }
}
