package io.clipstream.deploy;

import io.clipstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and edits which checkpoint version deploy/k8s serves: the ONE line of {@code base/rollout.env} for the
 * stable version, and for a canary {@code components/canary/rollout-canary.env}, its {@code split.env} and the
 * line of the overlay that lists the canary component. Edits change those lines only, comments stay, so
 * {@code git diff} shows exactly what a rollout changed and a revert rolls it back.
 *
 * <p>It checks the form of a version, not the checkpoint: refusing unknown, corrupt or rejected checkpoints is
 * the job of the command that calls it.
 */
public final class RolloutManifest {

    /** The variable embedder and classifier read their model version from. */
    public static final String VERSION_KEY = "CLIPSTREAM_MODEL_CHECKPOINT";
    static final String STABLE_FILE = "base/rollout.env";
    static final String CANARY_COMPONENT = "components/canary";
    static final String CANARY_FILE = CANARY_COMPONENT + "/rollout-canary.env";
    static final String SPLIT_FILE = CANARY_COMPONENT + "/split.env";
    static final String CANARY_REPLICAS = "CANARY_REPLICAS";
    static final String STABLE_REPLICAS = "STABLE_REPLICAS";

    // Versions go into env files, ConfigMap values and log lines: one safe token, no spaces, quotes or '#'.
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final EnvFile stable;
    private final EnvFile canary;
    private final EnvFile split;
    private final ComponentLine canaryLine;
    private final int partitions;

    private RolloutManifest(Path k8sDir, Path overlay) {
        this.stable = new EnvFile(k8sDir.resolve(STABLE_FILE));
        this.canary = new EnvFile(k8sDir.resolve(CANARY_FILE));
        this.split = new EnvFile(k8sDir.resolve(SPLIT_FILE));
        this.canaryLine = new ComponentLine(overlay.resolve("kustomization.yaml"),
                overlay.relativize(k8sDir.resolve(CANARY_COMPONENT)).toString().replace('\\', '/'));
        // The canary shares the embedder's consumer group, whose width is the partition count of its topic.
        this.partitions = Topics.get(Topics.IMAGES).partitions();
    }

    /**
     * @param k8sDir  the kustomize tree (deploy/k8s)
     * @param overlay the overlay whose canary this manifest starts and stops, e.g. "production"
     */
    public static RolloutManifest of(Path k8sDir, String overlay) {
        Path overlayDir = k8sDir.resolve("overlays").resolve(overlay);
        if (!Files.isRegularFile(overlayDir.resolve("kustomization.yaml"))) {
            throw new IllegalArgumentException("No overlay " + overlay + " in " + k8sDir);
        }
        RolloutManifest manifest = new RolloutManifest(k8sDir, overlayDir);
        // Fails now, before any edit, if the overlay has no canary line (active or commented out).
        manifest.canaryLine.active();
        return manifest;
    }

    public Rollout current() {
        Optional<Rollout.Canary> running = Optional.empty();
        if (canaryLine.active()) {
            CanarySplit share = new CanarySplit(split.getInt(CANARY_REPLICAS), split.getInt(STABLE_REPLICAS));
            if (share.partitions() != partitions) {
                throw new IllegalStateException(split.path() + " splits " + share.partitions()
                        + " members, but " + Topics.IMAGES + " has " + partitions + " partitions");
            }
            running = Optional.of(new Rollout.Canary(canary.get(VERSION_KEY), share));
        }
        return new Rollout(stable.get(VERSION_KEY), running);
    }

    /** Serves {@code version} on the stable track. A running canary keeps running: end it with {@link #clearCanary}. */
    public void setStable(String version) {
        stable.set(VERSION_KEY, checked(version));
    }

    /**
     * Runs {@code version} on a canary embedder taking about {@code percent} of the images (see
     * {@link CanarySplit#forPercent}), or changes the version or share of the running canary.
     *
     * @return the split actually configured
     */
    public CanarySplit setCanary(String version, int percent) {
        checked(version);
        if (version.equals(stable.get(VERSION_KEY))) {
            throw new IllegalArgumentException("Version " + version + " is already the stable version");
        }
        CanarySplit share = CanarySplit.forPercent(percent, partitions);
        canary.set(VERSION_KEY, version);
        split.set(CANARY_REPLICAS, Integer.toString(share.canaryReplicas()));
        split.set(STABLE_REPLICAS, Integer.toString(share.stableReplicas()));
        // Last: the overlay renders the canary only once its version and split are in place.
        canaryLine.setActive(true);
        return share;
    }

    /**
     * Stops the canary: the overlay no longer lists the component. The canary files keep the last canary's values,
     * so the change is one line. (`kubectl apply` does not delete the embedder-canary Deployment: see README.md.)
     */
    public void clearCanary() {
        canaryLine.setActive(false);
    }

    private static String checked(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("Not a model version: '" + version
                    + "' (letters, digits, '.', '_' and '-', starting with a letter or digit)");
        }
        return version;
    }
}
