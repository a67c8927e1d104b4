package io.streamrepeater.status;

/** Kinds of channel events. */
public enum ChannelEventType {
    INPUT_UP,
    INPUT_DOWN,
    INPUT_HEALTHY,
    SWITCH,
    REHEARSAL_STARTED,
    REHEARSAL_ENDED,
    /** A destination changed state (connecting, live, retrying, failed, disabled). */
    DESTINATION_STATE
}
