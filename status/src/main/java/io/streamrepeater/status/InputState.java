package io.streamrepeater.status;

/** State of one input of a channel. */
public enum InputState {
    /** No encoder is publishing. */
    DOWN,
    /** Publishing and healthy, consumed and kept hot, not relayed. */
    STANDBY,
    /** Relayed to the destinations. */
    ACTIVE
}
