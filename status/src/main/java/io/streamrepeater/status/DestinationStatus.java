package io.streamrepeater.status;

/** Snapshot of one destination; {@code url} is already redacted (no stream key). */
public record DestinationStatus(String name, String url, DestinationState state, long bytesSent, long packetsSent,
                                long packetsDropped, long reconnects, String lastError) {
}
