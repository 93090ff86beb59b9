package io.clipstream.deploy;

/**
 * How stable and canary embedders share the consumer group {@code clipstream-embedder} while a canary runs.
 *
 * <p>Kafka gives each partition of {@code clipstream.images} to exactly one member of the group. With as many
 * members as partitions, every member owns one partition, so the canary's share of the images is exactly
 * {@code canaryReplicas / partitions} whatever the load: a percentage becomes a whole number of partitions.
 *
 * @param canaryReplicas members serving the canary version (and partitions they own)
 * @param stableReplicas members serving the stable version
 */
public record CanarySplit(int canaryReplicas, int stableReplicas) {

    public CanarySplit {
        if (canaryReplicas < 1 || stableReplicas < 1) {
            throw new IllegalArgumentException("A canary needs at least one canary and one stable replica, not "
                    + canaryReplicas + " and " + stableReplicas);
        }
    }

    /**
     * The split closest to {@code percent} of the images over {@code partitions} partitions, keeping at least one
     * partition on each side (so 10 % of 6 partitions is 1 of 6, about 17 %).
     */
    public static CanarySplit forPercent(int percent, int partitions) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("A canary takes 1 to 99 % of the images, not " + percent + " %");
        }
        if (partitions < 2) {
            throw new IllegalArgumentException("A canary needs a topic of two partitions or more, not " + partitions);
        }
        int canary = Math.clamp(Math.round(percent * partitions / 100f), 1, partitions - 1);
        return new CanarySplit(canary, partitions - canary);
    }

    public int partitions() {
        return canaryReplicas + stableReplicas;
    }

    /** The canary's share of the images, rounded to a whole percent. */
    public int percent() {
        return Math.round(100f * canaryReplicas / partitions());
    }
}
