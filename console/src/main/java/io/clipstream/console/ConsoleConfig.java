package io.clipstream.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Console settings ({@code clipstream.console.*}). */
@ConfigMapping(prefix = "clipstream.console")
public interface ConsoleConfig {

    /**
     * The services the console reaches, by name: {@code clipstream.console.services.classifier=http://classifier:8084}.
     * The pages call {@code /api/<name>/<path>}; a service named here is all the proxy forwards to.
     */
    Map<String, String> services();

    /** How long the proxy waits to connect to a service before answering 502. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * How long a proxied request may go without a byte from the service (0: no limit). The classifier's stream of
     * classifications is quiet for as long as no image arrives, so the default is none; the browser's own
     * disconnect ends a stream.
     */
    @WithDefault("PT0S")
    Duration idleTimeout();
}
