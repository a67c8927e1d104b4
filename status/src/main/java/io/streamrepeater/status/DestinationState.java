package io.streamrepeater.status;

/** State of one destination of a channel. */
public enum DestinationState {
    CONNECTING,
    LIVE,
    /** Waiting before the next connection attempt. */
    RETRYING,
    /** A permanent error such as a rejected stream key; retried only after a long pause. */
    FAILED,
    DISABLED
}
