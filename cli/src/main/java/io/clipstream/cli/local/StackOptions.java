package io.clipstream.cli.local;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a local stack listens and which checkout it runs: the options {@code local up} and {@code demo} share. */
public final class StackOptions {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (the controller uses the next one). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--http-port", defaultValue = "8081", description = "First service port; ingest, trainer, embedder, classifier, console, search follow. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--timeout", defaultValue = "180", description = "Seconds each component may take to start (and the embedder to load a checkpoint). Default: ${DEFAULT-VALUE}.")
    long startTimeoutSeconds;

    @Option(names = "--home", description = "The Clipstream checkout (default: where this jar was built).")
    Path home;

    public int kafkaPort() {
        return kafkaPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public long startTimeoutSeconds() {
        return startTimeoutSeconds;
    }

    /** The checkout: {@code --home}, else {@code CLIPSTREAM_HOME}, else where this jar was built. */
    public Installation installation() {
        return Installation.locate(home);
    }

    public Path home() {
        return home;
    }
}
