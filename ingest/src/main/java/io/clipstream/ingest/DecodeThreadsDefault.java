package io.clipstream.ingest;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The default of {@code clipstream.ingest.decode.threads}: one per core of the machine the service runs on, which no
 * properties file can say. Below every file and the environment (ordinal 50), so any of them overrides it;
 * application.properties hands the value to Kafka Streams as {@code kafka-streams.num.stream.threads}.
 */
public final class DecodeThreadsDefault implements ConfigSource {

    public static final String NAME = "clipstream.ingest.decode.threads";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(NAME, String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(NAME);
    }

    @Override
    public String getValue(String propertyName) {
        return NAME.equals(propertyName) ? String.valueOf(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public String getName() {
        return "clipstream-ingest-decode-threads-default";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
