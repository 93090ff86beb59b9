package io.clipstream.trainer.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled images classified zero-shot with every checkpoint: the label set is every distinct label of the suite,
 * each put into the prompt templates. Loaded once, at the model's image size.
 *
 * @param name the suite's name (metrics are {@code zero_shot_<name>_top1} and {@code _top5})
 * @param labels the distinct labels, in order of first appearance
 * @param images the images at the model's size
 * @param labelOfImage each image's label, an index into {@code labels}
 * @param templates prompt templates with {@code {}} for the label
 */
public record ZeroShotSuite(String name, List<String> labels, List<RgbImage> images, int[] labelOfImage,
        List<String> templates) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a JSON Lines index of {@code {"file": ..., "label": ...}} (extra fields are ignored), decoding at most
     * {@code limit} images from {@code imageDir}.
     */
    public static ZeroShotSuite load(String name, Path index, Path imageDir, List<String> templates, int limit,
            int imageSize) throws IOException {
        for (String template : templates) {
            if (!template.contains("{}")) {
                throw new IllegalArgumentException("Zero-shot suite " + name + ": template '" + template
                        + "' has no {} for the label");
            }
        }
        ClipImageTransform transform = ClipImageTransform.openAi(imageSize);
        Map<String, Integer> labelIndex = new LinkedHashMap<>();
        List<RgbImage> images = new ArrayList<>();
        List<Integer> labelOfImage = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(index)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (images.size() >= limit) {
                break;
            }
            JsonNode entry = JSON.readTree(line);
            if (!entry.hasNonNull("file") || !entry.hasNonNull("label")) {
                throw new IOException(index + ":" + lineNumber + ": needs \"file\" and \"label\"");
            }
            Path file = imageDir.resolve(entry.get("file").asText());
            try {
                images.add(transform.preprocess(Files.readAllBytes(file)));
            } catch (InvalidImageException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            labelOfImage.add(labelIndex.computeIfAbsent(entry.get("label").asText(), l -> labelIndex.size()));
        }
        if (images.isEmpty()) {
            throw new IOException("Zero-shot suite " + name + ": " + index + " lists no images");
        }
        return new ZeroShotSuite(name, List.copyOf(labelIndex.keySet()), List.copyOf(images),
                labelOfImage.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(templates));
    }
}
