package io.clipstream.trainer.runtime;

import io.clipstream.trainer.RunState;
import io.clipstream.trainer.TrainerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready unless the run has failed (then the status says why, and a restart resumes from the last checkpoint). */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {

    private final TrainerRunner runner;

    public TrainerReadiness(TrainerRunner runner) {
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        TrainerStatus status = runner.run().status();
        return HealthCheckResponse.named("Trainer").status(status.run().state() != RunState.FAILED)
                .withData("state", status.run().state().name()).withData("step", status.progress().step())
                .withData("failure", status.run().failure() == null ? "" : status.run().failure()).build();
    }
}
