package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.DirectMemoryChurn;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's backward pass must not depend on what the JVM does between forward and backward.
 * It did: constants of QuickGELU, attention, the logit-scale clamp and the loss were DJL number
 * overloads, whose buffers a garbage collection frees while autograd still reads them.
 */
class TrainGradientIntegrityTest {

    @Test
    void gradientsAreTheSameWhetherOrNotMemoryIsReusedBeforeTheBackward() throws InterruptedException {
        ClipConfig tiny = ClipConfig.preset("tiny").withVocabSize(600);
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(tiny).initialize(manager);
            NDArray pixels = RandomPairs.pixels(manager, tiny, 6, 1);
            NDArray ids = RandomPairs.tokenIds(manager, tiny, 6, 2);
            Map<String, float[]> quiet = gradients(model, pixels, ids, false);
            Map<String, float[]> churned = gradients(model, pixels, ids, true);
            List<String> differing = new ArrayList<>();
            quiet.forEach((name, expected) -> {
                float[] actual = churned.get(name);
                for (int i = 0; i < expected.length; i++) {
                    if (Math.abs(expected[i] - actual[i]) > 1e-6f + 1e-4f * Math.abs(expected[i])) {
                        differing.add(name + "[" + i + "] " + expected[i] + " vs " + actual[i]);
                        return;
                    }
                }
            });
            assertTrue(differing.isEmpty(), "gradients changed by a GC: " + differing);
        }
    }

    private static Map<String, float[]> gradients(ClipModel model, NDArray pixels, NDArray ids, boolean churn)
            throws InterruptedException {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager step = pixels.getManager().newSubManager()) {
            for (Parameter p : model.namedParameters().values()) {
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
            step.tempAttachAll(pixels, ids);
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDList out = model.forward(new ParameterStore(step, false), new NDList(pixels, ids), true);
                NDArray loss = ClipLoss.loss(out.get(0), out.get(1), out.get(2));
                if (churn) {
                    DirectMemoryChurn.churn(step);
                }
                collector.backward(loss);
            }
            model.namedParameters().forEach((name, p) -> {
                try (NDArray g = p.getArray().getGradient()) {
                    gradients.put(name, g.toFloatArray());
                }
            });
        }
        return gradients;
    }
}
