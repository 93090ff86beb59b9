package io.clipstream.model.train;

import io.clipstream.model.checkpoint.Safetensors;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.TorchScript;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, step for step as {@code torch.optim.AdamW}, over two parameter
 * groups ({@link ParameterGroups}): only the decayed group is shrunk by {@code lr × weightDecay}.
 * DJL's own {@code Optimizer.adamW()} decays every parameter and its class is final, hence this one.
 * The update is PyTorch's own fused kernel ({@code torch.optim.AdamW(fused=True)}, reached through a
 * {@link TorchScript} module): one pass over each parameter, no temporaries.
 *
 * <p>The moments live in a manager of the optimiser's own on the parameters' device; close the
 * optimiser to free them. Their state ({@code m.<param>}, {@code v.<param>} and the step count)
 * saves to and loads from safetensors, so a resumed run continues exactly.
 */
public final class AdamW implements AutoCloseable {

    /** Metadata keys of the state file. */
    static final String FORMAT_KEY = "format";
    static final String FORMAT = "clipstream-adamw";
    static final String STEP_KEY = "step";

    private final Settings settings;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final NDManager state;
    private long steps;

    private static PtSymbolBlock fusedUpdate;

    /**
     * Hyperparameters; OpenCLIP's defaults for ViT training are {@link #openClip()}.
     *
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param epsilon added to the root of the second moment
     * @param weightDecay decoupled decay factor of the decayed group (× learning rate per step)
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {

        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must lie in [0, 1): " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("epsilon must be positive and weightDecay not negative");
            }
        }

        /** OpenCLIP's ViT defaults: betas (0.9, 0.98), eps 1e-6, weight decay 0.2. */
        public static Settings openClip() {
            return new Settings(0.9, 0.98, 1e-6, 0.2);
        }

        public Settings withWeightDecay(double newWeightDecay) {
            return new Settings(beta1, beta2, epsilon, newWeightDecay);
        }
    }

    /** One parameter, whether it decays, and its moments. */
    private record Slot(Parameter parameter, boolean decays, NDArray m, NDArray v) {
    }

    /** Zero moments for every parameter of {@code groups}, allocated under {@code manager}. */
    public AdamW(ParameterGroups groups, Settings settings, NDManager manager) {
        if (groups.decayed().isEmpty() && groups.notDecayed().isEmpty()) {
            throw new IllegalArgumentException("Nothing to optimise");
        }
        this.settings = settings;
        Device device = (groups.decayed().isEmpty() ? groups.notDecayed() : groups.decayed())
                .values().iterator().next().getArray().getDevice();
        state = manager.newSubManager(device);
        groups.decayed().forEach((name, parameter) -> addSlot(name, parameter, true));
        groups.notDecayed().forEach((name, parameter) -> addSlot(name, parameter, false));
    }

    private void addSlot(String name, Parameter parameter, boolean decays) {
        Shape shape = parameter.getArray().getShape();
        slots.put(name, new Slot(parameter, decays, state.zeros(shape), state.zeros(shape)));
    }

    public Settings settings() {
        return settings;
    }

    /** Updates taken so far (the {@code t} of the bias corrections). */
    public long steps() {
        return steps;
    }

    /** The parameter names this optimiser updates: the decayed group first, then the others. */
    public List<String> parameterNames() {
        return List.copyOf(slots.keySet());
    }

    /**
     * One update of every parameter from its gradient.
     *
     * @param gradients each parameter's gradient by name; all names must be present
     * @param learningRate this step's learning rate
     * @param gradientScale factor applied to every gradient first (the clipping coefficient)
     */
    public void step(Map<String, NDArray> gradients, double learningRate, double gradientScale) {
        if (!gradients.keySet().equals(slots.keySet())) {
            throw new IllegalArgumentException("Gradients must cover exactly the optimised parameters");
        }
        long t = steps + 1;
        List<Slot> decayed = new ArrayList<>();
        List<Slot> notDecayed = new ArrayList<>();
        List<NDArray> decayedGradients = new ArrayList<>();
        List<NDArray> notDecayedGradients = new ArrayList<>();
        slots.forEach((name, slot) -> {
            boolean decays = slot.decays() && settings.weightDecay() > 0;
            (decays ? decayed : notDecayed).add(slot);
            (decays ? decayedGradients : notDecayedGradients).add(gradients.get(name));
        });
        try (GradMode off = GradMode.disabled(); NDManager scope = state.newSubManager()) {
            // PyTorch reads the step count from a float32 tensor per parameter; one serves them all.
            PtNDArray count = (PtNDArray) scope.create((float) t);
            update(decayed, decayedGradients, count, learningRate, settings.weightDecay(), gradientScale);
            update(notDecayed, notDecayedGradients, count, learningRate, 0, gradientScale);
        }
        steps = t;
    }

    /** One fused pass over each parameter of the group, its gradient and its moments, all updated in place. */
    private void update(List<Slot> group, List<NDArray> gradients, PtNDArray count, double learningRate,
            double weightDecay, double gradientScale) {
        if (group.isEmpty()) {
            return;
        }
        PtNDArray[] counts = new PtNDArray[group.size()];
        Arrays.fill(counts, count);
        IValue[] inputs = {
            tensors(group.stream().map(slot -> slot.parameter().getArray()).toList()),
            tensors(gradients),
            tensors(group.stream().map(Slot::m).toList()),
            tensors(group.stream().map(Slot::v).toList()),
            IValue.listFrom(counts),
            IValue.from(learningRate),
            IValue.from(settings.beta1()),
            IValue.from(settings.beta2()),
            IValue.from(weightDecay),
            IValue.from(settings.epsilon()),
            IValue.from(gradientScale),
        };
        try {
            IValueUtils.forward(fusedUpdate(), inputs).close();
        } finally {
            for (IValue input : inputs) {
                input.close();
            }
        }
    }

    private static IValue tensors(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
    }

    /**
     * {@code torch.optim.AdamW(fused=True)}'s update after {@code clip_grad_norm_}: the gradients scaled in place
     * (when clipped), then PyTorch's fused CPU kernel, which reads each element of weight, gradient and moments once
     * and writes weight and moments back: {@code w ← w·(1 − lr·wd)}, {@code m ← lerp(m, g, 1 − β1)},
     * {@code v ← β2·v + (1 − β2)·g²}, {@code w ← w − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)}. Unlike one DJL
     * op per term it makes no temporaries (12 passes and 5 full-size temporaries per parameter before).
     */
    private static synchronized PtSymbolBlock fusedUpdate() {
        if (fusedUpdate == null) {
            fusedUpdate = TorchScript.module(Engines.pytorch().newBaseManager(),
                    "params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], "
                            + "state_steps: List[Tensor], lr: float, beta1: float, beta2: float, "
                            + "weight_decay: float, eps: float, grad_scale: float",
                    "int",
                    "if grad_scale != 1.0:",
                    "  torch._foreach_mul_(grads, grad_scale)",
                    "torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], state_steps, lr=lr, beta1=beta1,"
                            + " beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False,"
                            + " grad_scale=None, found_inf=None)",
                    "return len(params)");
        }
        return fusedUpdate;
    }

    /** The first moment (running mean of gradients) of a parameter, owned by the optimiser. */
    public NDArray firstMoment(String name) {
        return slot(name).m();
    }

    /** The second moment (running mean of squared gradients) of a parameter, owned by the optimiser. */
    public NDArray secondMoment(String name) {
        return slot(name).v();
    }

    /** Whether the parameter gets weight decay. */
    public boolean decays(String name) {
        return slot(name).decays();
    }

    private Slot slot(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("No parameter " + name);
        }
        return slot;
    }

    /** Writes {@code m.<param>}, {@code v.<param>} and the step count (metadata) as safetensors. */
    public void save(Path file) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        slots.forEach((name, slot) -> {
            tensors.put("m." + name, slot.m());
            tensors.put("v." + name, slot.v());
        });
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_KEY, FORMAT);
        metadata.put(STEP_KEY, Long.toString(steps));
        metadata.put("beta1", Double.toString(settings.beta1()));
        metadata.put("beta2", Double.toString(settings.beta2()));
        metadata.put("epsilon", Double.toString(settings.epsilon()));
        metadata.put("weight_decay", Double.toString(settings.weightDecay()));
        Safetensors.write(file, tensors, metadata);
    }

    /**
     * Replaces the moments and step count by a saved state. Every parameter must be in the file
     * with its shape, and nothing else; the hyperparameters are this optimiser's (they may change
     * between runs).
     */
    public void load(Path file) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(file);
        if (!FORMAT.equals(header.metadata().get(FORMAT_KEY)) || !header.metadata().containsKey(STEP_KEY)) {
            throw new IOException(file + " is not an AdamW state (metadata " + header.metadata() + ")");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Shape expected = entry.getValue().m().getShape();
            for (String kind : List.of("m.", "v.")) {
                Safetensors.TensorInfo info = header.tensors().get(kind + entry.getKey());
                if (info == null) {
                    problems.add("missing " + kind + entry.getKey());
                } else if (!info.shape().equals(expected)) {
                    problems.add(kind + entry.getKey() + " is " + info.shape() + ", expected " + expected);
                }
            }
        }
        if (header.tensors().size() != 2 * slots.size()) {
            List<String> unexpected = new ArrayList<>(header.tensors().keySet());
            slots.keySet().forEach(name -> {
                unexpected.remove("m." + name);
                unexpected.remove("v." + name);
            });
            problems.add("unexpected " + unexpected);
        }
        if (!problems.isEmpty()) {
            throw new IOException(file + " does not fit this model: " + String.join("; ", problems));
        }
        Map<String, NDArray> saved = Safetensors.read(file, state);
        slots.replaceAll((name, slot) -> {
            slot.m().close();
            slot.v().close();
            return new Slot(slot.parameter(), slot.decays(), saved.get("m." + name), saved.get("v." + name));
        });
        steps = Long.parseLong(header.metadata().get(STEP_KEY));
    }

    @Override
    public void close() {
        state.close();
    }
}
