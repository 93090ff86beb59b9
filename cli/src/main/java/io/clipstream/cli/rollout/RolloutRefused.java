package io.clipstream.cli.rollout;

/** Why a version may not be served: one line for the operator, raised before the manifest is touched. */
final class RolloutRefused extends Exception {

    RolloutRefused(String version, String why) {
        super("Refusing to roll out " + version + ": " + why);
    }
}
