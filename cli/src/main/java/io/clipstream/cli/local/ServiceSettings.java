package io.clipstream.cli.local;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one local run adds to the services' defaults (beyond what every run sets: its state, store and rollout file).
 *
 * @param systemProperties per service name, {@code -D} settings (Quarkus reads system properties as configuration,
 *                         above application.properties)
 */
public record ServiceSettings(Map<String, Map<String, String>> systemProperties) {

    public static final ServiceSettings NONE = new ServiceSettings(Map.of());

    public ServiceSettings {
        systemProperties = Map.copyOf(systemProperties);
    }

    /** The {@code -D} settings of one service, sorted so that a command line reads the same on every run. */
    public Map<String, String> systemProperties(String service) {
        return new TreeMap<>(systemProperties.getOrDefault(service, Map.of()));
    }
}
