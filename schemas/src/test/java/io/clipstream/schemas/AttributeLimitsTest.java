package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttributeLimitsTest {

    private final AttributeLimits limits = new AttributeLimits(3, 8, 10, 30);

    @Test
    void attributesAtEveryCapAreAccepted() {
        assertEquals(Optional.empty(), limits.violation(null));
        assertEquals(Optional.empty(), limits.violation(Map.of()));
        assertEquals(Optional.empty(), limits.violation(Map.of("12345678", "1234567890", "b", "c", "d", "e")));
    }

    @Test
    void eachCapIsEnforcedAndNamed() {
        assertTrue(limits.violation(Map.of("a", "1", "b", "2", "c", "3", "d", "4")).orElseThrow()
                .contains("too many attributes: 4, at most 3"));
        assertTrue(limits.violation(Map.of("123456789", "x")).orElseThrow().contains("name of 9 bytes"));
        assertTrue(limits.violation(Map.of("k", "12345678901")).orElseThrow().contains("\"k\" has a value of 11 bytes"));
        // é is two bytes in UTF-8: counted as bytes, not characters.
        assertTrue(limits.violation(Map.of("k", "éééééé")).orElseThrow().contains("value of 12 bytes"));
        Map<String, String> bulky = new HashMap<>();
        bulky.put("aaaaaaaa", "1234567890");
        bulky.put("bbbbbbbb", "1234567890");
        assertTrue(limits.violation(bulky).orElseThrow().contains("36 bytes in all: at most 30"));
    }

    @Test
    void theDefaultsFitFarBelowATopicsRecordLimit() {
        AttributeLimits d = AttributeLimits.DEFAULT;
        assertTrue((long) d.maxTotalBytes() * 4 < Topics.MAX_MESSAGE_BYTES, "room for the rest of a record");
    }
}
