package io.clipstream.trainer;

/**
 * Smoothed step statistics (exponential moving averages over about the last ten steps): samples per second and
 * model FLOP/s from the wall time between steps, device time per step and input wait per step. Written by the
 * training thread, read anywhere.
 */
final class ThroughputMeter {

    private static final double ALPHA = 0.1;

    private volatile double samplesPerSecond;
    private volatile double flopsPerSecond;
    private volatile double stepSeconds;
    private volatile double inputWaitSeconds;
    private boolean primed;

    /**
     * @param cycleSeconds wall time since the previous step ended (its input wait included)
     */
    void record(long samples, double flops, double cycleSeconds, double stepTime, double inputWait) {
        if (!primed) {
            samplesPerSecond = samples / cycleSeconds;
            flopsPerSecond = flops / cycleSeconds;
            stepSeconds = stepTime;
            inputWaitSeconds = inputWait;
            primed = true;
            return;
        }
        samplesPerSecond += ALPHA * (samples / cycleSeconds - samplesPerSecond);
        flopsPerSecond += ALPHA * (flops / cycleSeconds - flopsPerSecond);
        stepSeconds += ALPHA * (stepTime - stepSeconds);
        inputWaitSeconds += ALPHA * (inputWait - inputWaitSeconds);
    }

    double samplesPerSecond() {
        return samplesPerSecond;
    }

    double flopsPerSecond() {
        return flopsPerSecond;
    }

    double stepSeconds() {
        return stepSeconds;
    }

    double inputWaitSeconds() {
        return inputWaitSeconds;
    }
}
