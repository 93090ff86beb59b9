package io.clipstream.trainer.data;

/**
 * Seeds for the draws made afresh each time a pair goes into a batch (its caption, its augmentation): mixed from the
 * run's seed, a salt naming the draw, the pair id and the step, so that a run repeats, each pass over a pair sees
 * another draw, and two kinds of draw are independent.
 */
final class PairDraws {

    private PairDraws() {
    }

    /** The run's seed, the salt, the pair id (64-bit FNV-1a) and the step, mixed with SplitMix64's finaliser. */
    static long seed(long runSeed, long salt, String pairId, long step) {
        long id = 0xCBF29CE484222325L;
        for (int i = 0; i < pairId.length(); i++) {
            id = (id ^ pairId.charAt(i)) * 0x100000001B3L;
        }
        return mix(mix(mix(runSeed ^ salt) ^ id) ^ step);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
