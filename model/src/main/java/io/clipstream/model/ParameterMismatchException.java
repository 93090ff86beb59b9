package io.clipstream.model;

import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Weights that do not fit a model: every missing tensor, every unexpected one and every shape
 * mismatch, all named in one message so a bad file is diagnosed in one go.
 */
public final class ParameterMismatchException extends IllegalArgumentException {

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShapes;

    /**
     * @param source what the weights are, for the message
     * @param missing names the model needs but the weights lack
     * @param unexpected names the weights have but the model does not
     * @param wrongShapes one description per shape mismatch
     */
    public ParameterMismatchException(
            String source, List<String> missing, List<String> unexpected, List<String> wrongShapes) {
        super(message(source, missing, unexpected, wrongShapes));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShapes = List.copyOf(wrongShapes);
    }

    /**
     * Compares the model's parameter shapes with the given ones and throws on any difference.
     *
     * @param source what the weights are (a file name), for the message
     * @param expected the model's parameter shapes by name
     * @param actual the given tensors' shapes by the same naming
     * @param displayName how to show a name (e.g. in the file's own naming)
     */
    public static void check(String source, Map<String, Shape> expected, Map<String, Shape> actual,
            UnaryOperator<String> displayName) {
        List<String> missing = new ArrayList<>();
        List<String> wrongShapes = new ArrayList<>();
        expected.forEach((name, shape) -> {
            Shape found = actual.get(name);
            if (found == null) {
                missing.add(displayName.apply(name));
            } else if (!found.equals(shape)) {
                wrongShapes.add(displayName.apply(name) + " is " + found + ", model needs " + shape);
            }
        });
        List<String> unexpected = actual.keySet().stream()
                .filter(name -> !expected.containsKey(name))
                .map(displayName)
                .toList();
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShapes.isEmpty()) {
            throw new ParameterMismatchException(source, missing, unexpected, wrongShapes);
        }
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> unexpected() {
        return unexpected;
    }

    public List<String> wrongShapes() {
        return wrongShapes;
    }

    private static String message(
            String source, List<String> missing, List<String> unexpected, List<String> wrongShapes) {
        StringBuilder m = new StringBuilder("Weights in ").append(source).append(" do not fit the model:");
        if (!missing.isEmpty()) {
            m.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            m.append("\n  unexpected (").append(unexpected.size()).append("): ")
                    .append(String.join(", ", unexpected));
        }
        if (!wrongShapes.isEmpty()) {
            m.append("\n  wrong shape (").append(wrongShapes.size()).append("): ")
                    .append(String.join("; ", wrongShapes));
        }
        return m.toString();
    }
}
