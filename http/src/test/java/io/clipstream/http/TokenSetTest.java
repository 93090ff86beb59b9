package io.clipstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.http.auth.TokenSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenSetTest {

    @Test
    void matchesTokensByTheirHashAndRole() {
        TokenSet tokens = TokenSet.parse(List.of("# who may call", "", "operator:" + TokenSet.sha256Hex("op"),
                " client : " + TokenSet.sha256Hex("cl").toUpperCase()), "tokens.txt");
        assertEquals("operator", tokens.match("op").orElseThrow().role());
        assertEquals("client", tokens.match("cl").orElseThrow().role());
        assertTrue(tokens.match("other").isEmpty());
        assertTrue(tokens.match("").isEmpty());
    }

    @Test
    void hashIsTheSha256HexOfTheToken() {
        // printf %s test | sha256sum
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", TokenSet.sha256Hex("test"));
    }

    @Test
    void aPlainOperatorTokenJoinsTheFile() {
        TokenSet tokens = TokenSet.of(Optional.empty(), Optional.of("secret"));
        assertEquals("operator", tokens.match("secret").orElseThrow().role());
        assertTrue(TokenSet.of(Optional.empty(), Optional.of(" ")).isEmpty());
    }

    @Test
    void malformedLinesAreRefusedWithTheirLineNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSet.parse(List.of("operator:" + TokenSet.sha256Hex("a"), "admin:" + TokenSet.sha256Hex("b")),
                        "tokens.txt"));
        assertTrue(e.getMessage().contains("tokens.txt line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TokenSet.parse(List.of("operator:plain-token"), "t"));
    }

    @Test
    void aMissingFileSaysWhichSetting() {
        Exception e = assertThrows(RuntimeException.class,
                () -> TokenSet.of(Optional.of(Path.of("/no/such/tokens.txt")), Optional.empty()));
        assertTrue(e.getMessage().contains("clipstream.auth.tokens-file"), e.getMessage());
    }
}
