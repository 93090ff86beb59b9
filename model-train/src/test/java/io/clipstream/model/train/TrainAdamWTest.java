package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

class TrainAdamWTest {

    private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.9, 0.98, 1e-6, 0.2);

    @TempDir
    Path dir;

    @Test
    void decaysOnlyTheMatricesOfAttentionMlpPatchesAndProjections() {
        ParameterGroups groups = ParameterGroups.of(new ClipModel(ClipConfig.preset("tiny")).namedParameters());
        Set<String> expected = new TreeSet<>(List.of("visual.conv1.weight", "visual.proj", "text_projection"));
        for (String tower : List.of("visual.transformer", "transformer")) {
            for (int layer = 0; layer < 2; layer++) {
                String block = tower + ".resblocks." + layer + ".";
                expected.addAll(List.of(block + "attn.in_proj_weight", block + "attn.out_proj.weight",
                        block + "mlp.c_fc.weight", block + "mlp.c_proj.weight"));
            }
        }
        assertEquals(expected, new TreeSet<>(groups.decayed().keySet()));
        // Everything else is a gain, bias, embedding or the logit scale.
        for (String name : groups.notDecayed().keySet()) {
            assertTrue(name.contains("ln_") || name.endsWith("bias") || name.contains("embedding")
                    || name.equals("logit_scale"), name);
        }
        assertTrue(groups.notDecayed().keySet().containsAll(List.of("logit_scale", "token_embedding.weight",
                "positional_embedding", "visual.positional_embedding", "visual.class_embedding", "ln_final.weight",
                "visual.ln_pre.weight", "visual.transformer.resblocks.1.ln_2.bias",
                "transformer.resblocks.0.attn.in_proj_bias")));
    }

    @Test
    void theRuleLooksAtNameAndShape() {
        assertTrue(ParameterGroups.decays("visual.proj", new Shape(768, 512)));
        assertFalse(ParameterGroups.decays("anything", new Shape(512)), "1-D: a gain or bias");
        assertFalse(ParameterGroups.decays("token_embedding.weight", new Shape(49408, 512)), "embedding");
        assertFalse(ParameterGroups.decays("positional_embedding", new Shape(77, 512)), "embedding");
        assertFalse(ParameterGroups.decays("head.bn.weight", new Shape(4, 4)), "batch norm");
        assertFalse(ParameterGroups.decays("logit_scale", new Shape(1, 1)), "temperature");
    }

    /** torch.optim.AdamW written out in doubles, one scalar at a time. */
    private static final class ReferenceAdamW {
        double weight;
        double m;
        double v;
        int t;

        ReferenceAdamW(double weight) {
            this.weight = weight;
        }

        void step(double gradient, double lr, boolean decays) {
            t++;
            if (decays) {
                weight *= 1 - lr * SETTINGS.weightDecay();
            }
            m = SETTINGS.beta1() * m + (1 - SETTINGS.beta1()) * gradient;
            v = SETTINGS.beta2() * v + (1 - SETTINGS.beta2()) * gradient * gradient;
            double stepSize = lr / (1 - Math.pow(SETTINGS.beta1(), t));
            double denominator = Math.sqrt(v) / Math.sqrt(1 - Math.pow(SETTINGS.beta2(), t)) + SETTINGS.epsilon();
            weight -= stepSize * m / denominator;
        }
    }

    @Test
    void followsPyTorchsAdamWStepForStepAndDecaysOnlyItsGroup() {
        try (NDManager manager = Engines.newManager()) {
            float[] initial = {0.5f, -1.5f, 2f, 0.25f};
            Parameter matrix = parameter(manager, "visual.proj", new Shape(2, 2), initial);
            Parameter gain = parameter(manager, "ln_final.weight", new Shape(4), initial);
            Map<String, Parameter> named = new LinkedHashMap<>();
            named.put("visual.proj", matrix);
            named.put("ln_final.weight", gain);
            List<ReferenceAdamW> matrixReference = new ArrayList<>();
            List<ReferenceAdamW> gainReference = new ArrayList<>();
            for (float w : initial) {
                matrixReference.add(new ReferenceAdamW(w));
                gainReference.add(new ReferenceAdamW(w));
            }
            double[][] gradients = {{0.1, -0.2, 0.3, 0}, {-1, 2, 0.5, 0.01}, {0.3, 0.3, -0.3, 0.002}, {5, -5, 1, 0}};
            double[] rates = {1e-2, 5e-2, 5e-2, 1e-3};
            double clip = 0.5;
            try (AdamW adamW = new AdamW(ParameterGroups.of(named), SETTINGS, manager)) {
                for (int step = 0; step < gradients.length; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        float[] g = new float[4];
                        for (int i = 0; i < 4; i++) {
                            g[i] = (float) gradients[step][i];
                            matrixReference.get(i).step(gradients[step][i] * clip, rates[step], true);
                            gainReference.get(i).step(gradients[step][i] * clip, rates[step], false);
                        }
                        adamW.step(Map.of("visual.proj", scope.create(g, new Shape(2, 2)),
                                "ln_final.weight", scope.create(g)), rates[step], clip);
                    }
                    float[] matrixNow = matrix.getArray().toFloatArray();
                    float[] gainNow = gain.getArray().toFloatArray();
                    for (int i = 0; i < 4; i++) {
                        assertEquals(matrixReference.get(i).weight, matrixNow[i], 1e-6, "matrix step " + step);
                        assertEquals(gainReference.get(i).weight, gainNow[i], 1e-6, "gain step " + step);
                    }
                }
                assertEquals(4, adamW.steps());
                assertTrue(adamW.decays("visual.proj"));
                assertFalse(adamW.decays("ln_final.weight"));
                // Decay is the only difference between the groups: it made the matrix smaller.
                assertTrue(matrix.getArray().abs().sum().getFloat() < gain.getArray().abs().sum().getFloat());
            }
        }
    }

    @Test
    void savedStateLoadsBackExactlyAndContinuesTheSame() throws IOException {
        try (NDManager manager = Engines.newManager()) {
            float[] initial = {1, 2, 3, 4, 5, 6};
            Parameter a = parameter(manager, "a.weight", new Shape(2, 3), initial);
            Parameter b = parameter(manager, "b.weight", new Shape(2, 3), initial);
            float[] gradient = {0.3f, -0.1f, 0.2f, 0.05f, -0.4f, 1f};
            Path file = dir.resolve("optimizer.safetensors");
            try (AdamW first = new AdamW(ParameterGroups.of(Map.of("a.weight", a)), SETTINGS, manager);
                    AdamW second = new AdamW(ParameterGroups.of(Map.of("a.weight", b)), SETTINGS, manager)) {
                for (int i = 0; i < 3; i++) {
                    step(first, "a.weight", manager, gradient, 1e-2);
                    step(second, "a.weight", manager, gradient, 1e-2);
                }
                first.save(file);
                // b's optimiser forgets, then loads a's state: both must take the same next step.
                try (AdamW restored = new AdamW(ParameterGroups.of(Map.of("a.weight", b)), SETTINGS, manager)) {
                    restored.load(file);
                    assertEquals(3, restored.steps());
                    assertArrayEquals(first.firstMoment("a.weight").toFloatArray(),
                            restored.firstMoment("a.weight").toFloatArray());
                    assertArrayEquals(first.secondMoment("a.weight").toFloatArray(),
                            restored.secondMoment("a.weight").toFloatArray());
                    step(first, "a.weight", manager, gradient, 1e-2);
                    step(restored, "a.weight", manager, gradient, 1e-2);
                    assertArrayEquals(a.getArray().toFloatArray(), b.getArray().toFloatArray());
                }
            }
        }
    }

    @Test
    void refusesStateOfAnotherModel() throws IOException {
        try (NDManager manager = Engines.newManager()) {
            Parameter small = parameter(manager, "a.weight", new Shape(2, 2), new float[4]);
            Parameter large = parameter(manager, "a.weight", new Shape(2, 3), new float[6]);
            Path file = dir.resolve("optimizer.safetensors");
            try (AdamW saved = new AdamW(ParameterGroups.of(Map.of("a.weight", small)), SETTINGS, manager);
                    AdamW other = new AdamW(ParameterGroups.of(Map.of("a.weight", large)), SETTINGS, manager)) {
                saved.save(file);
                IOException e = assertThrows(IOException.class, () -> other.load(file));
                assertTrue(e.getMessage().contains("m.a.weight is (2, 2), expected (2, 3)"), e.getMessage());
            }
        }
    }

    private static void step(AdamW adamW, String name, NDManager manager, float[] gradient, double lr) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray g = scope.create(gradient, adamW.firstMoment(name).getShape());
            adamW.step(Map.of(name, g), lr, 1);
        }
    }

    private static Parameter parameter(NDManager manager, String name, Shape shape, float[] values) {
        Parameter parameter = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        parameter.setArray(manager.create(values, shape));
        return parameter;
    }
}
