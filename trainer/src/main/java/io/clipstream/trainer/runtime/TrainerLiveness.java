package io.clipstream.trainer.runtime;

import io.clipstream.trainer.TrainerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live unless checkpoints have failed too many times in a row (a full or broken disk): a trainer that cannot store
 * its work only burns the device, and a restart (on another node, or after the volume was fixed) resumes from the
 * last checkpoint that was stored.
 */
@Liveness
@ApplicationScoped
public class TrainerLiveness implements HealthCheck {

    private final TrainerRunner runner;

    public TrainerLiveness(TrainerRunner runner) {
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return of(runner.run().status());
    }

    /** The check's answer for a status. */
    public static HealthCheckResponse of(TrainerStatus status) {
        TrainerStatus.CheckpointFailures failures = status.checkpoints().checkpointFailures();
        return HealthCheckResponse.named("Trainer checkpoints").status(!failures.persistent())
                .withData("failuresInARow", failures.consecutive())
                .withData("lastError", failures.lastError() == null ? "" : failures.lastError()).build();
    }
}
