package io.clipstream.model.nn;

import io.clipstream.model.engine.MixedPrecisionStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of Clipstream's blocks. Children and parameters are registered under plain names, and every
 * parameter's shape is fixed at construction from the sizes given, so
 * <ul>
 *   <li>{@link #namedParameters()} gives dotted paths equal to the OpenAI/OpenCLIP state-dict names
 *       ({@code visual.transformer.resblocks.0.attn.in_proj_weight}) and</li>
 *   <li>shapes and parameter counts are known before any weight is allocated.</li>
 * </ul>
 * A child registered under the empty name is flattened into its parent's namespace (OpenAI keeps
 * the text tower at the top level of {@code CLIP}).
 */
public abstract class NamedBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    protected NamedBlock() {
        super(VERSION);
    }

    /** Registers a child under {@code name} (DJL's addChildBlock would prefix "01", "02", ...). */
    protected final <B extends Block> B child(String name, B block) {
        children.add(name, block);
        return block;
    }

    protected final Parameter parameter(
            String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
    }

    /** Every parameter below this block by its dotted path, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        collect(this, "", named);
        return Collections.unmodifiableMap(named);
    }

    /** Every parameter's shape by its dotted path; needs no initialisation. */
    public final Map<String, Shape> parameterShapes() {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        namedParameters().forEach((name, p) -> shapes.put(name, p.getShape()));
        return Collections.unmodifiableMap(shapes);
    }

    /** The number of scalars in all parameters; needs no initialisation. */
    public final long parameterCount() {
        return namedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String path = join(prefix, p.getKey());
            if (out.put(path, p.getValue()) != null) {
                throw new IllegalStateException("Two parameters named " + path);
            }
        }
        for (Pair<String, Block> c : block.getChildren()) {
            collect(c.getValue(), join(prefix, c.getKey()), out);
        }
    }

    private static String join(String prefix, String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return name.isEmpty() ? prefix : prefix + "." + name;
    }

    /**
     * Initialises the children. Their parameter shapes are fixed already, so they need no shape
     * inference: the parent's input shapes are passed on only to mark them initialised.
     */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    /**
     * A scope for one forward pass: a sub-manager of {@code x}'s manager on {@code x}'s device
     * (subManagerOf would take the manager's device), holding {@code x} until it closes, when
     * every intermediate dies with it. Results leave through {@code scope.ret(...)}.
     */
    protected static NDManager scopeFor(NDArray x) {
        NDManager scope = x.getManager().newSubManager(x.getDevice());
        scope.tempAttachAll(x);
        return scope;
    }

    /**
     * {@code x · matrix} for a parameter matrix (a tower's projection); under a {@link MixedPrecisionStore} computed
     * in its precision, the product float32. The product and the cast of {@code x} join {@code x}'s manager.
     */
    protected static NDArray product(ParameterStore parameters, NDArray x, NDArray matrix) {
        if (parameters instanceof MixedPrecisionStore mixed) {
            return MixedPrecisionStore.toFloat32(mixed.lower(x).matMul(mixed.lowerParameter(matrix)));
        }
        return x.matMul(matrix);
    }

    /** The parameter's value on {@code like}'s device. */
    protected static NDArray value(
            ParameterStore parameters, Parameter parameter, NDArray like, boolean training) {
        return parameters.getValue(parameter, like.getDevice(), training);
    }
}
