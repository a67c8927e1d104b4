package io.streamrepeater.rtmp.chunk;

/** Message type ids of the protocol control messages the chunk layer itself acts on. */
final class ProtocolControlType {
    static final int SET_CHUNK_SIZE = 1;
    static final int ABORT = 2;
    static final int ACKNOWLEDGEMENT = 3;
    static final int WINDOW_ACKNOWLEDGEMENT_SIZE = 5;

    /** Protocol control messages travel on chunk stream 2, message stream 0. */
    static final int CHUNK_STREAM = 2;

    private ProtocolControlType() {}
}
