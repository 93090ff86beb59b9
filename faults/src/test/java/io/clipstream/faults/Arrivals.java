package io.clipstream.faults;

import java.util.Map;

/** What a scenario saw come out, per accounting key: how often, when first, and the longest stall between outputs. */
interface Arrivals {

    Map<String, Integer> counts();

    /** When each key's first output arrived ({@link System#nanoTime()}). */
    Map<String, Long> firstArrivals();

    /** The longest time between two consecutive outputs, in seconds. */
    double maxGapSeconds();
}
