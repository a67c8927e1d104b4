package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/**
 * User Control messages (type 4): a 2-byte event type followed by event data. One record per event,
 * named as in the specification (section 7.1.7).
 */
public sealed interface UserControlMessage extends RtmpMessage {
    int STREAM_BEGIN = 0;
    int STREAM_EOF = 1;
    int STREAM_DRY = 2;
    int SET_BUFFER_LENGTH = 3;
    int STREAM_IS_RECORDED = 4;
    int PING_REQUEST = 6;
    int PING_RESPONSE = 7;

    int eventType();

    /** Writes the event data (after the event type). */
    void writeData(ByteBuf out);

    @Override
    default RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        ByteBuf b = alloc.buffer(10).writeShort(eventType());
        writeData(b);
        return new RawMessage(MessageType.CONTROL_CHUNK_STREAM, MessageType.USER_CONTROL, 0, 0, b);
    }

    /** Reads a user control body; does not release it. */
    static UserControlMessage read(ByteBuf body) {
        int type = body.readUnsignedShort();
        return switch (type) {
            case STREAM_BEGIN -> new UserControlStreamBegin(body.readInt());
            case STREAM_EOF -> new UserControlStreamEof(body.readInt());
            case STREAM_DRY -> new UserControlStreamDry(body.readInt());
            case SET_BUFFER_LENGTH -> new UserControlSetBufferLength(body.readInt(), body.readUnsignedInt());
            case STREAM_IS_RECORDED -> new UserControlStreamIsRecorded(body.readInt());
            case PING_REQUEST -> new UserControlPingRequest(body.readUnsignedInt());
            case PING_RESPONSE -> new UserControlPingResponse(body.readUnsignedInt());
            default -> new UserControlOther(type, body.readableBytes());
        };
    }

    record UserControlStreamBegin(int streamId) implements UserControlMessage {
        public int eventType() {
            return STREAM_BEGIN;
        }

        public void writeData(ByteBuf out) {
            out.writeInt(streamId);
        }
    }

    record UserControlStreamEof(int streamId) implements UserControlMessage {
        public int eventType() {
            return STREAM_EOF;
        }

        public void writeData(ByteBuf out) {
            out.writeInt(streamId);
        }
    }

    record UserControlStreamDry(int streamId) implements UserControlMessage {
        public int eventType() {
            return STREAM_DRY;
        }

        public void writeData(ByteBuf out) {
            out.writeInt(streamId);
        }
    }

    record UserControlSetBufferLength(int streamId, long bufferMs) implements UserControlMessage {
        public int eventType() {
            return SET_BUFFER_LENGTH;
        }

        public void writeData(ByteBuf out) {
            out.writeInt(streamId).writeInt((int) bufferMs);
        }
    }

    record UserControlStreamIsRecorded(int streamId) implements UserControlMessage {
        public int eventType() {
            return STREAM_IS_RECORDED;
        }

        public void writeData(ByteBuf out) {
            out.writeInt(streamId);
        }
    }

    record UserControlPingRequest(long timestamp) implements UserControlMessage {
        public int eventType() {
            return PING_REQUEST;
        }

        public void writeData(ByteBuf out) {
            out.writeInt((int) timestamp);
        }
    }

    record UserControlPingResponse(long timestamp) implements UserControlMessage {
        public int eventType() {
            return PING_RESPONSE;
        }

        public void writeData(ByteBuf out) {
            out.writeInt((int) timestamp);
        }
    }

    /** An event type this relay does not act on; kept so it can be logged. */
    record UserControlOther(int eventType, int dataLength) implements UserControlMessage {
        public void writeData(ByteBuf out) {
            out.writeZero(dataLength);
        }
    }
}
