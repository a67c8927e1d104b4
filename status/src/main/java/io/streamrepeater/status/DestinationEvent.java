package io.streamrepeater.status;

import java.time.Instant;

/**
 * One state transition of a destination connection, with its reason (what the peer said, which error).
 *
 * @param from the state before, null for the first event of a destination
 * @param reason why, never containing a stream key
 */
public record DestinationEvent(
        Instant at, String channel, String destination, DestinationState from, DestinationState to, String reason) {}
