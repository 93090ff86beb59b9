package io.clipstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decode threads, read through ingest's application.properties as the service and its Kafka Streams read them. */
class IngestDecodeThreadsTest {

    private static SmallRyeConfig config(Map<String, String> set) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withValidateUnknown(false)
                .withSources(new DecodeThreadsDefault())
                .withSources(new PropertiesConfigSource(IngestDecodeThreadsTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(set, "set", 400)).build();
    }

    @Test
    void unsetTheyAreOnePerCoreAndKafkaStreamsRunsThatMany() throws IOException {
        SmallRyeConfig config = config(Map.of());
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, config.getValue("clipstream.ingest.decode.threads", Integer.class));
        assertEquals(cores, config.getValue("kafka-streams.num.stream.threads", Integer.class));
    }

    @Test
    void setTheyAreTheStreamThreads() throws IOException {
        SmallRyeConfig config = config(Map.of("clipstream.ingest.decode.threads", "5"));
        assertEquals(5, config.getValue("kafka-streams.num.stream.threads", Integer.class));
    }
}
