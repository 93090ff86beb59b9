package io.clipstream.cli.local;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one local run adds to the services' defaults.
 *
 * @param systemProperties per service name, {@code -D} settings (Quarkus reads system properties as configuration,
 *                         above application.properties)
 * @param readyLater       services whose readiness waits for something the run does after start-up (the embedder
 *                         is not ready before a checkpoint is rolled out): start-up waits for them to be live only
 */
public record ServiceSettings(Map<String, Map<String, String>> systemProperties, Set<String> readyLater) {

    public ServiceSettings {
        systemProperties = Map.copyOf(systemProperties);
        readyLater = Set.copyOf(readyLater);
    }

    /** The {@code -D} settings of one service, sorted so that a command line reads the same on every run. */
    public Map<String, String> systemProperties(String service) {
        return new TreeMap<>(systemProperties.getOrDefault(service, Map.of()));
    }
}
