package io.clipstream.cli.rollout;

import io.clipstream.cli.checkpoints.CheckpointsCommand;
import io.clipstream.cli.local.Installation;
import io.clipstream.deploy.Rollout;
import io.clipstream.deploy.RolloutManifest;
import io.clipstream.schemas.Checkpoint;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code clipstream rollout VERSION [--canary N%]}: the operator's edit of the served checkpoint version in
 * deploy/k8s, after checking that the trainer announced the version, that it PASSED the guardrail and that its
 * files are intact. It edits the manifests only; committing and applying them stays a step the operator sees.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Sets the checkpoint version deploy/k8s serves: stable, or a canary on a share of the embedders.",
                "Refuses a version that is not announced, did not PASS the trainer's guardrail or fails its SHA-256;"
                        + " a refusal changes nothing. Without --canary, VERSION becomes stable and a running canary"
                        + " ends (promote)."})
public final class RolloutCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "VERSION", description = "The checkpoint version to serve.")
    String version;

    @Option(names = "--canary", paramLabel = "N%", converter = Percent.class,
            description = "Serve VERSION on a canary embedder taking about N % of the images (whole partitions).")
    Integer canaryPercent;

    @Option(names = "--abort-canary", description = "End the running canary, without a VERSION: the stable version"
            + " serves everything again.")
    boolean abortCanary;

    @Option(names = "--overlay", defaultValue = "production",
            description = "The overlay whose canary to start or end (default: ${DEFAULT-VALUE}).")
    String overlay;

    @Option(names = "--k8s", paramLabel = "DIR", description = "The kustomize tree (default: deploy/k8s of the checkout).")
    Path k8s;

    @Option(names = "--store", paramLabel = "URI", description = "The artifact store to verify the checkpoint in"
            + " (default: the announced artifact URI, when this machine can read it).")
    String store;

    @Mixin
    CheckpointsCommand.Source source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((version == null) == !abortCanary || (abortCanary && canaryPercent != null)) {
            throw new ParameterException(spec.commandLine(), "Give either VERSION [--canary N%] or --abort-canary");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path k8sDir = k8s != null ? k8s : Installation.locate(null).home().resolve("deploy/k8s");
        RolloutManifest manifest;
        Rollout before;
        try {
            manifest = RolloutManifest.of(k8sDir, overlay);
            before = manifest.current();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("Cannot read the rollout manifest: " + e.getMessage());
            return 1;
        }
        if (abortCanary) {
            return abort(manifest, before, k8sDir);
        }

        String artifact;
        try {
            Checkpoint announced = AnnouncementCheck.passed(source.read(), source.topic(), version);
            artifact = ArtifactCheck.verify(announced, Optional.ofNullable(store));
        } catch (RolloutRefused e) {
            err.println(e.getMessage());
            return 1;
        } catch (IllegalStateException e) { // the topic missing or not read to its end in time
            err.println("Refusing to roll out " + version + ": cannot read the checkpoints: " + e.getMessage());
            return 1;
        }

        try {
            if (canaryPercent != null) {
                manifest.setCanary(version, canaryPercent);
            } else {
                manifest.setStable(version);
                if (before.canary().isPresent()) {
                    manifest.clearCanary(); // promote: the stable version now serves every image
                }
            }
        } catch (IllegalArgumentException e) { // checked before any line is written: a stable version as canary etc.
            err.println("Refusing to roll out " + version + ": " + e.getMessage());
            return 1;
        }
        Rollout after = manifest.current();

        PrintWriter out = spec.commandLine().getOut();
        out.println("checkpoint " + version + ": PASSED, " + artifact);
        printChange(out, before, after, k8sDir);
        out.println("rollback: git revert that commit and apply again"
                + (canaryPercent != null ? ", or clipstream rollout --abort-canary" : ", or clipstream rollout "
                + before.stable()));
        out.flush();
        return 0;
    }

    private Integer abort(RolloutManifest manifest, Rollout before, Path k8sDir) {
        PrintWriter out = spec.commandLine().getOut();
        if (before.canary().isEmpty()) {
            out.println("No canary runs in overlay " + overlay + "; nothing changed.");
            out.flush();
            return 0;
        }
        manifest.clearCanary();
        printChange(out, before, manifest.current(), k8sDir);
        out.flush();
        return 0;
    }

    private void printChange(PrintWriter out, Rollout before, Rollout after, Path k8sDir) {
        out.println("stable:   " + (before.stable().equals(after.stable()) ? after.stable() + " (unchanged)"
                : before.stable() + " -> " + after.stable()));
        out.println("canary:   " + (before.canary().equals(after.canary()) ? describe(after.canary()) + " (unchanged)"
                : describe(before.canary()) + " -> " + describe(after.canary())));
        out.println("next:     review and commit the change (git diff " + shown(k8sDir) + "), then kubectl apply -k "
                + shown(k8sDir.resolve("overlays").resolve(overlay)));
        if (before.canary().isPresent() && after.canary().isEmpty()) {
            // apply does not prune: the canary Deployment would keep its pods and its partitions.
            out.println("          and kubectl -n <namespace of " + overlay + "> delete deployment embedder-canary");
        }
    }

    private static String describe(Optional<Rollout.Canary> canary) {
        return canary.map(c -> c.version() + " on " + c.split().canaryReplicas() + " of " + c.split().partitions()
                + " embedders (" + c.split().percent() + " % of the images)").orElse("none");
    }

    /** Relative to the working directory when under it, as the operator would type it. */
    private static String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        return absolute.startsWith(here) && !absolute.equals(here) ? here.relativize(absolute).toString()
                : absolute.toString();
    }

    /** "10%", "10 %" or "10". */
    static final class Percent implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String number = value.strip();
            number = number.endsWith("%") ? number.substring(0, number.length() - 1).strip() : number;
            try {
                return Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a percentage such as 10%");
            }
        }
    }
}
