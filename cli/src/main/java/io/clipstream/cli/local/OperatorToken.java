package io.clipstream.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The operator token of a local run: generated for the run (or taken from {@value #RUN_ENV}), kept in the run folder
 * readable by its owner only, and given to the services as the SHA-256 in a tokens file
 * ({@code clipstream.auth.tokens-file}: {@code operator:<hex>}, the format every service reads).
 */
public final class OperatorToken {

    /** Set when {@code local up} or {@code demo} starts: the run uses this token instead of a generated one. */
    public static final String RUN_ENV = "CLIPSTREAM_OPERATOR_TOKEN";
    /** The token commands send, when {@code --token} is not given. */
    public static final String COMMAND_ENV = "CLIPSTREAM_TOKEN";
    /** Where a command finds a token when neither is given, for people's messages. */
    public static final String SOURCES = "--token, $" + COMMAND_ENV + ", or the running local run's operator.token";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int TOKEN_BYTES = 32;

    private OperatorToken() {
    }

    /** The token in plain text: for the run's clients, never for the services. */
    public static Path tokenFile(Path runDirectory) {
        return runDirectory.resolve("operator.token");
    }

    /** What the services read: the token's role and SHA-256. */
    public static Path hashesFile(Path runDirectory) {
        return runDirectory.resolve("tokens");
    }

    /** Writes the run's token and its hash; returns the token. */
    public static String establish(Path runDirectory, Map<String, String> environment) {
        String given = environment.get(RUN_ENV);
        String token = given != null && !given.isBlank() ? given.strip() : generate();
        try {
            Files.createDirectories(runDirectory);
            writeOwnerOnly(tokenFile(runDirectory), token + "\n");
            writeOwnerOnly(hashesFile(runDirectory), "# clipstream local run: role:sha256-hex of each token\n"
                    + "operator:" + sha256Hex(token) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's token to " + runDirectory + ": " + e.getMessage(), e);
        }
        return token;
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The token a command sends: {@code --token}, else {@value #COMMAND_ENV}, else the token of the local run that
     * {@code installation} records as running; none if there is no such run.
     */
    public static Optional<String> forCommand(String option, Map<String, String> environment,
            Installation installation) {
        if (option != null && !option.isBlank()) {
            return Optional.of(option.strip());
        }
        String env = environment.get(COMMAND_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(env.strip());
        }
        Properties state = LocalStack.recorded(installation);
        String run = state.getProperty("runDirectory");
        if (run == null) {
            return Optional.empty();
        }
        try {
            Path file = tokenFile(Path.of(run));
            return Files.isReadable(file) ? Optional.of(Files.readString(file).strip()).filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
