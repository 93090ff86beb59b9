package io.clipstream.classifier.stream;

import java.time.Instant;

/** The live feed's poller: up, or failing since a time with a reason, and how often it was restarted so far. */
public record FeedHealth(boolean up, String reason, Instant failingSince, long restarts) {
}
