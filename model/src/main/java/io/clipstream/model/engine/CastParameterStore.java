package io.clipstream.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Inference parameters in a lower {@link Precision}: each float32 weight is cast once, on first
 * use, and the copy kept in this store's manager. For frozen weights only (a served checkpoint):
 * the copies do not follow later updates. Closing the manager frees them.
 */
public final class CastParameterStore extends ParameterStore {

    private final NDManager manager;
    private final Precision precision;
    private final ConcurrentMap<Parameter, NDArray> copies = new ConcurrentHashMap<>();

    public CastParameterStore(NDManager manager, Precision precision) {
        super(manager, false);
        this.manager = manager;
        this.precision = precision;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (training) {
            throw new IllegalStateException("A CastParameterStore serves inference only");
        }
        return copies.computeIfAbsent(parameter, p -> {
            NDArray copy = precision.cast(super.getValue(p, device, false));
            copy.attach(manager);
            return copy;
        });
    }

    public Precision precision() {
        return precision;
    }
}
