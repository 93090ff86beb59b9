package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoDisplayTest {

    @Test
    void numbersThePhasesInOrderAndKeepsALogReadable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoDisplay display = new DemoDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        display.phase("corpus", "emoji");
        display.status("step 1/600");
        display.status("step 2/600"); // within the log interval: not written
        display.line("      done");
        display.phase("platform", "Kafka");
        assertEquals("""
                [1/8] corpus     emoji
                      step 1/600
                      done
                [2/8] platform   Kafka
                """, bytes.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> display.phase("images", "skipping ahead"));
    }

    @Test
    void onATerminalTheStatusIsRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoDisplay display = new DemoDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        display.status("a");
        display.status("b");
        display.line("x");
        assertEquals("\r      a\u001b[K\r      b\u001b[K\r\u001b[Kx\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
