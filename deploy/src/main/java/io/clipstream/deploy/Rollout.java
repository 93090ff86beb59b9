package io.clipstream.deploy;

import java.util.Optional;

/**
 * The checkpoint versions a deployment serves, as its manifests say.
 *
 * @param stable the version embedder and classifier serve
 * @param canary the version a canary embedder serves beside it, and its share; empty without a canary
 */
public record Rollout(String stable, Optional<Canary> canary) {

    public record Canary(String version, CanarySplit split) {
    }
}
