package io.clipstream.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario found: of the {@code in} ids, how many produced no output ({@code missing}) and how many outputs
 * were second or later copies ({@code duplicates}); printed as one line that the suite's log and the issue carry.
 */
record Accounting(String scenario, int in, int out, List<String> missing, int duplicates, double maxGapSeconds,
        double maxWaitSeconds) {

    /**
     * @param expectedKeys the accounting keys every input must produce; a key starts with its input's index
     *                     ({@code "<index>"} or {@code "<index>|<label set>"}), to measure how long it waited
     */
    static Accounting of(String scenario, List<String> expectedKeys, int inputs, Arrivals log, SteadyPublisher input) {
        Map<String, Long> arrivals = log.firstArrivals();
        long maxWait = 0;
        for (Map.Entry<String, Long> arrival : arrivals.entrySet()) {
            String key = arrival.getKey();
            int bar = key.indexOf('|');
            String id = bar < 0 ? key : key.substring(0, bar);
            int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
            if (index < inputs) {
                maxWait = Math.max(maxWait, arrival.getValue() - input.sentAt(index));
            }
        }
        Map<String, Integer> counts = log.counts();
        List<String> missing = new ArrayList<>();
        int duplicates = 0;
        for (String key : expectedKeys) {
            int count = counts.getOrDefault(key, 0);
            if (count == 0) {
                missing.add(key);
            } else {
                duplicates += count - 1;
            }
        }
        int out = (int) expectedKeys.stream().filter(counts::containsKey).count();
        return new Accounting(scenario, inputs, out, missing, duplicates, log.maxGapSeconds(), maxWait / 1e9);
    }

    String line() {
        return String.format(Locale.ROOT, "faults: %s in=%d out=%d missing=%d duplicates=%d max_gap_s=%.1f max_wait_s=%.1f",
                scenario, in, out, missing.size(), duplicates, maxGapSeconds, maxWaitSeconds);
    }

    String missingSample() {
        return missing.subList(0, Math.min(10, missing.size())).toString();
    }
}
