package io.clipstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code clipstream version}: this build and the versions of the stack it was built with. */
@Command(name = "version", description = "Print the Clipstream version and the stack it was built with.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Reads the versions Maven wrote into the jar. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = VersionCommand.class.getResourceAsStream("/clipstream-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                    "clipstream " + p.getProperty("version", "unknown"),
                    "kafka " + p.getProperty("kafka", "?") + ", quarkus " + p.getProperty("quarkus", "?")
                            + ", djl " + p.getProperty("djl", "?") + ", java " + Runtime.version()};
        }
    }
}
