package io.streamrepeater.status;

/** Snapshot of one input. {@code remoteAddress} is null while down. */
public record InputStatus(String name, int priority, InputState state, String remoteAddress, long packets) {
}
