package io.clipstream.model.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off (or on) for the current thread until closed, then restores it.
 * PyTorch's grad mode is per thread and ON by default: DJL switches it off only on the thread
 * that loaded the engine, so inference on any other thread would otherwise build graphs.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean previous) {
        this.previous = previous;
    }

    public static GradMode disabled() {
        boolean previous = JniUtils.isGradMode();
        if (previous) {
            JniUtils.setGradMode(false);
        }
        return new GradMode(previous);
    }

    /** Turns recording on for the current thread until closed, then restores what was before. */
    public static GradMode enabled() {
        boolean previous = JniUtils.isGradMode();
        if (!previous) {
            JniUtils.setGradMode(true);
        }
        return new GradMode(previous);
    }

    public static boolean isEnabled() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        if (JniUtils.isGradMode() != previous) {
            JniUtils.setGradMode(previous);
        }
    }
}
