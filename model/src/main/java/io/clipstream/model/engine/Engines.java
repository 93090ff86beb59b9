package io.clipstream.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The one place that loads DJL's PyTorch engine: offline (DJL must never download natives or call
 * home), on the CPU unless the engine itself can use a GPU, with configurable thread pools.
 *
 * <p>Settings (system properties): {@code clipstream.device} = {@code auto} (default), {@code cpu},
 * {@code gpu} or {@code gpu:N}; {@code ai.djl.pytorch.num_threads} (intra-op) and
 * {@code ai.djl.pytorch.num_interop_threads} (inter-op), which DJL reads when the engine loads.
 */
public final class Engines {

    public static final String ENGINE_NAME = "PyTorch";
    public static final String DEVICE_PROPERTY = "clipstream.device";
    public static final String INTRA_OP_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    public static final String INTER_OP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    private static Engine engine;

    private Engines() {
    }

    /**
     * The PyTorch engine, loaded on first use with downloads forbidden.
     *
     * @throws IllegalStateException naming what is missing when the engine or its natives cannot load
     */
    public static synchronized Engine pytorch() {
        if (engine == null) {
            // DJL reads these when it first needs them; offline mode turns any download into an error.
            System.setProperty("ai.djl.offline", "true");
            if (System.getProperty("OPT_OUT_TRACKING") == null) {
                System.setProperty("OPT_OUT_TRACKING", "true");
            }
            try {
                engine = Engine.getEngine(ENGINE_NAME);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("The PyTorch engine could not load offline: " + rootMessage(e)
                        + ". Clipstream needs ai.djl.pytorch:pytorch-engine 0.35.1, pytorch-jni 2.7.1-0.35.1 and "
                        + "pytorch-native-cpu 2.7.1 (linux-x86_64) on the class path, or for a GPU a libtorch "
                        + "2.7.1 named by PYTORCH_LIBRARY_PATH/PYTORCH_VERSION/PYTORCH_FLAVOR; natives are "
                        + "extracted under DJL_CACHE_DIR (now " + System.getenv("DJL_CACHE_DIR") + ")", e);
            }
            applyThreadSettings();
            LOG.info("{}", describe());
        }
        return engine;
    }

    /** A new top-level manager on {@link #defaultDevice()}. */
    public static NDManager newManager() {
        return pytorch().newBaseManager(defaultDevice());
    }

    /**
     * The device to compute on: what {@code clipstream.device} asks for, else the first GPU when
     * this PyTorch build can use one, else the CPU.
     */
    public static Device defaultDevice() {
        Engine pytorch = pytorch();
        boolean gpuUsable = pytorch.hasCapability(StandardCapabilities.CUDA) && pytorch.getGpuCount() > 0;
        String wanted = System.getProperty(DEVICE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return gpuUsable ? Device.gpu() : Device.cpu();
        }
        if (wanted.equals("cpu")) {
            return Device.cpu();
        }
        if (wanted.equals("gpu") || wanted.startsWith("gpu:")) {
            int id = wanted.equals("gpu") ? 0 : Integer.parseInt(wanted.substring(4));
            if (!gpuUsable || id >= pytorch.getGpuCount()) {
                throw new IllegalStateException(DEVICE_PROPERTY + "=" + wanted + " but this PyTorch build sees "
                        + (gpuUsable ? pytorch.getGpuCount() + " GPU(s)" : "no usable GPU (CPU natives?)"));
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(DEVICE_PROPERTY + " must be auto, cpu, gpu or gpu:N, was " + wanted);
    }

    /**
     * Sets the intra-op and inter-op thread counts. Before the engine loads they are simply handed
     * to DJL; afterwards intra-op changes at once, while PyTorch fixes the inter-op pool for good
     * once parallel work has started (a warning says so).
     */
    public static synchronized void setThreads(int intraOp, int interOp) {
        if (intraOp < 1 || interOp < 1) {
            throw new IllegalArgumentException("Thread counts must be positive: " + intraOp + ", " + interOp);
        }
        System.setProperty(INTRA_OP_THREADS_PROPERTY, Integer.toString(intraOp));
        System.setProperty(INTER_OP_THREADS_PROPERTY, Integer.toString(interOp));
        if (engine != null) {
            applyThreadSettings();
        }
    }

    /** Current intra-op threads of the loaded engine. */
    public static int intraOpThreads() {
        pytorch();
        return JniUtils.getNumThreads();
    }

    /** Current inter-op threads of the loaded engine. */
    public static int interOpThreads() {
        pytorch();
        return JniUtils.getNumInteropThreads();
    }

    /** One line for logs and benchmark reports. */
    public static String describe() {
        Engine pytorch = pytorch();
        return ENGINE_NAME + " " + pytorch.getVersion() + " on " + defaultDevice() + ", "
                + JniUtils.getNumThreads() + " intra-op / " + JniUtils.getNumInteropThreads() + " inter-op threads";
    }

    // The engine may have been loaded elsewhere before the properties were set: apply them here.
    private static void applyThreadSettings() {
        Integer intraOp = Integer.getInteger(INTRA_OP_THREADS_PROPERTY);
        if (intraOp != null && JniUtils.getNumThreads() != intraOp) {
            JniUtils.setNumThreads(intraOp);
        }
        Integer interOp = Integer.getInteger(INTER_OP_THREADS_PROPERTY);
        if (interOp != null && JniUtils.getNumInteropThreads() != interOp) {
            try {
                JniUtils.setNumInteropThreads(interOp);
            } catch (RuntimeException e) {
                LOG.warn("Inter-op threads stay at {} (asked {}): PyTorch sets them once, before parallel work",
                        JniUtils.getNumInteropThreads(), interOp);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
