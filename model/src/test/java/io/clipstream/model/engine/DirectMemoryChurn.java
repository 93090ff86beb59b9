package io.clipstream.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/** What a busy JVM does between two native calls: frees unreachable direct buffers and reuses their memory. */
public final class DirectMemoryChurn {

    private DirectMemoryChurn() {
    }

    public static void churn(NDManager manager) throws InterruptedException {
        System.gc();
        Thread.sleep(50); // the cleaner frees the buffers on its own thread
        List<NDArray> filler = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            filler.add(manager.create(1000f + i));
        }
        filler.forEach(NDArray::close);
    }
}
