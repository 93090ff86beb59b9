package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator token of a local run: where it is kept, what the services get, what commands send. */
class OperatorTokenTest {

    @Test
    void aRunGetsAFreshTokenReadableByItsOwnerOnlyAndTheServicesItsHash(@TempDir Path run) throws Exception {
        String token = OperatorToken.establish(run, Map.of());
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token); // 32 bytes, base64url without padding
        assertEquals(token, Files.readString(OperatorToken.tokenFile(run)).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                OperatorToken.tokenFile(run))));
        List<String> hashes = Files.readAllLines(OperatorToken.hashesFile(run));
        assertTrue(hashes.contains("operator:" + OperatorToken.sha256Hex(token)), hashes.toString());
        assertTrue(hashes.stream().noneMatch(line -> line.contains(token)), "the services never see the token");
        assertNotEquals(token, OperatorToken.establish(run, Map.of()), "each run its own token");
    }

    @Test
    void aTokenGivenWhenTheRunStartsIsUsedInstead(@TempDir Path run) throws Exception {
        assertEquals("chosen-token", OperatorToken.establish(run, Map.of(OperatorToken.RUN_ENV, "chosen-token")));
        assertEquals("chosen-token", Files.readString(OperatorToken.tokenFile(run)).strip());
    }

    @Test
    void commandsSendTheOptionElseTheEnvironmentElseTheRunningRunsToken(@TempDir Path home) throws Exception {
        Installation installation = new Installation(home);
        assertEquals(Optional.empty(), OperatorToken.forCommand(null, Map.of(), installation), "nothing running");

        Path run = home.resolve("run");
        String token = OperatorToken.establish(run, Map.of());
        LocalStack.recordRun(installation, run, "127.0.0.1:9092", List.of(), List.of());
        assertEquals(Optional.of(token), OperatorToken.forCommand(null, Map.of(), installation));
        assertEquals(Optional.of("from-env"), OperatorToken.forCommand(null,
                Map.of(OperatorToken.COMMAND_ENV, "from-env"), installation));
        assertEquals(Optional.of("from-option"), OperatorToken.forCommand("from-option",
                Map.of(OperatorToken.COMMAND_ENV, "from-env"), installation));
    }

    @Test
    void everyServiceOfARunReadsItsTokensFile(@TempDir Path home) {
        LocalStack stack = new LocalStack(new Installation(home), 9092, 8081, home.resolve("run"),
                ServiceSettings.NONE);
        for (LocalService service : stack.services()) {
            assertTrue(stack.serviceCommand(service).contains("-Dclipstream.auth.tokens-file="
                    + OperatorToken.hashesFile(home.resolve("run"))), service.name());
        }
    }
}
