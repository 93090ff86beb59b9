package io.clipstream.trainer.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which pairs are held out for evaluation: decided by a hash of the pair id alone, so a pair lands on the same side
 * in every run, after every restart and in every trainer version, wherever and however often it is read. Held-out
 * pairs are never trained on.
 */
public final class HeldOutSplit {

    private final double fraction;

    /** Holds out about {@code fraction} of all pair ids (0 holds out none, 1 all). */
    public HeldOutSplit(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("The held-out fraction must lie in [0, 1], was " + fraction);
        }
        this.fraction = fraction;
    }

    public double fraction() {
        return fraction;
    }

    public boolean isHeldOut(String pairId) {
        return position(pairId) < fraction;
    }

    /** The id's place in [0, 1): the first 53 bits of its SHA-256, uniform for any id scheme. */
    static double position(String pairId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(pairId.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
