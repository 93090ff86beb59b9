package io.clipstream.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Consecutive free ports for a local stack of its own (under test, or {@code bench --through-kafka}), away from the
 * defaults a developer's own run may hold.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** The first of {@code count} consecutive ports that are free now. */
    public static int consecutive(int count) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 20_000 + random.nextInt(20_000);
            if (IntStream.range(first, first + count).allMatch(FreePorts::isFree)) {
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
