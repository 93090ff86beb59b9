package io.clipstream.model.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which parameters get weight decay, decided as OpenCLIP's {@code main.py} decides it from the
 * OpenAI state-dict name and shape: no decay for anything with fewer than two dimensions (gains,
 * biases, {@code class_embedding}, {@code logit_scale}) or whose name says it is a norm
 * ({@code bn}, {@code ln}), a bias, the logit scale or an embedding ({@code token_embedding},
 * both {@code positional_embedding}s). Decaying those pulls gains towards zero and embeddings of
 * rare tokens towards the origin, which hurts; the matrices of attention, MLP, patch embedding
 * and the projections are decayed.
 *
 * @param decayed the parameters that get decoupled weight decay, by name, in model order
 * @param notDecayed all others, by name, in model order
 */
public record ParameterGroups(Map<String, Parameter> decayed, Map<String, Parameter> notDecayed) {

    public ParameterGroups {
        decayed = Collections.unmodifiableMap(new LinkedHashMap<>(decayed));
        notDecayed = Collections.unmodifiableMap(new LinkedHashMap<>(notDecayed));
    }

    /** Splits the model's named parameters (see {@code ClipModel#namedParameters()}). */
    public static ParameterGroups of(Map<String, Parameter> named) {
        Map<String, Parameter> decayed = new LinkedHashMap<>();
        Map<String, Parameter> notDecayed = new LinkedHashMap<>();
        named.forEach((name, parameter) ->
                (decays(name, parameter.getShape()) ? decayed : notDecayed).put(name, parameter));
        return new ParameterGroups(decayed, notDecayed);
    }

    /** OpenCLIP's {@code exclude} predicate, negated, with embeddings excluded as well. */
    public static boolean decays(String name, Shape shape) {
        boolean excluded = shape.dimension() < 2
                || name.contains("bn")
                || name.contains("ln")
                || name.contains("bias")
                || name.contains("logit_scale")
                || name.contains("embedding");
        return !excluded;
    }
}
