package io.clipstream.http.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens a service accepts, kept only as SHA-256 hashes. A tokens file has one {@code role:sha256-hex}
 * line per token ({@code operator:9f86d0…}); blank lines and lines starting with {@code #} are skipped. The hash of
 * a presented token is compared with every known hash in constant time.
 */
public final class TokenSet {

    private static final Set<String> ROLES = Set.of(Roles.OPERATOR, Roles.CLIENT);
    private static final int HASH_BYTES = 32;

    /** One known token: its role and the SHA-256 of its text. */
    public record Entry(String role, byte[] hash) {

        /** A short, harmless name for logs and principals: the role and the first hex digits of the hash. */
        public String name() {
            return role + " token " + HexFormat.of().formatHex(hash, 0, 4);
        }
    }

    private final List<Entry> entries;

    private TokenSet(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static TokenSet empty() {
        return new TokenSet(List.of());
    }

    /** The tokens of a file and of a plain operator token, either of which may be absent. */
    public static TokenSet of(Optional<Path> file, Optional<String> operatorToken) {
        List<Entry> entries = new ArrayList<>();
        file.ifPresent(path -> entries.addAll(read(path).entries));
        operatorToken.filter(token -> !token.isBlank())
                .ifPresent(token -> entries.add(new Entry(Roles.OPERATOR, sha256(token.strip()))));
        return new TokenSet(entries);
    }

    public static TokenSet read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file + " (clipstream.auth.tokens-file): "
                    + e.getMessage(), e);
        }
    }

    /** @param source where the lines come from, for error messages */
    public static TokenSet parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String role = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String hex = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (!ROLES.contains(role) || !hex.matches("[0-9a-fA-F]{" + 2 * HASH_BYTES + "}")) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected role:sha256-hex with role "
                        + "operator or client and 64 hex digits (the SHA-256 of the token), e.g. "
                        + "operator:$(printf %s \"$TOKEN\" | sha256sum | cut -d' ' -f1)");
            }
            entries.add(new Entry(role, HexFormat.of().parseHex(hex)));
        }
        return new TokenSet(entries);
    }

    /** The SHA-256 of a token as a tokens file holds it. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** The known token this one is, if any: every entry is compared, each in constant time. */
    public Optional<Entry> match(String token) {
        byte[] presented = sha256(token);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, entry.hash()) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public long count(String role) {
        return entries.stream().filter(entry -> entry.role().equals(role)).count();
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
