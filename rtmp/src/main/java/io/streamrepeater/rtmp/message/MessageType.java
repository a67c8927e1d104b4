package io.streamrepeater.rtmp.message;

/** RTMP message type ids, named as in the RTMP specification (section 5.4 and 7.1). */
public final class MessageType {
    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACKNOWLEDGEMENT_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int SHARED_OBJECT_AMF3 = 16;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int SHARED_OBJECT_AMF0 = 19;
    public static final int COMMAND_AMF0 = 20;
    public static final int AGGREGATE = 22;

    /** Chunk stream used for protocol control messages. */
    public static final int CONTROL_CHUNK_STREAM = 2;
    /** Chunk stream we use for commands. */
    public static final int COMMAND_CHUNK_STREAM = 3;

    private MessageType() {}

    public static boolean isMedia(int typeId) {
        return typeId == AUDIO || typeId == VIDEO || typeId == DATA_AMF0 || typeId == DATA_AMF3;
    }
}
