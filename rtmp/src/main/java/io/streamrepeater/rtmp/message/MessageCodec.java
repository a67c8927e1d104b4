package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.streamrepeater.amf0.Amf0Exception;
import io.streamrepeater.amf0.Amf0Reader;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.util.ArrayList;
import java.util.List;

/** Turns raw protocol-control and command messages into typed ones. */
public final class MessageCodec {
    private MessageCodec() {}

    /**
     * Decodes a control or command message.
     *
     * @param raw the raw message; not released here (the caller still owns it)
     * @return the typed message, or null for media, data and message types this relay ignores
     * @throws MalformedMessageException when the body is too short or not valid AMF
     */
    public static RtmpMessage decode(RawMessage raw) {
        ByteBuf body = raw.payload().duplicate();
        try {
            return switch (raw.typeId()) {
                case MessageType.SET_CHUNK_SIZE -> SetChunkSize.read(need(body, 4, raw));
                case MessageType.ABORT -> Abort.read(need(body, 4, raw));
                case MessageType.ACKNOWLEDGEMENT -> Acknowledgement.read(need(body, 4, raw));
                case MessageType.WINDOW_ACKNOWLEDGEMENT_SIZE -> WindowAcknowledgementSize.read(need(body, 4, raw));
                case MessageType.SET_PEER_BANDWIDTH -> SetPeerBandwidth.read(need(body, 4, raw));
                case MessageType.USER_CONTROL -> UserControlMessage.read(need(body, 2, raw));
                case MessageType.COMMAND_AMF0 -> readCommand(body, raw);
                case MessageType.COMMAND_AMF3 -> {
                    // AMF3 command messages start with a format byte (0), then AMF0 values.
                    need(body, 1, raw).skipBytes(1);
                    yield readCommand(body, raw);
                }
                default -> null;
            };
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedMessageException("message type " + raw.typeId() + " body too short ("
                    + raw.payload().readableBytes() + " bytes)");
        }
    }

    private static ByteBuf need(ByteBuf body, int bytes, RawMessage raw) {
        if (body.readableBytes() < bytes) {
            throw new MalformedMessageException(
                    "message type " + raw.typeId() + " needs " + bytes + " bytes, got " + body.readableBytes());
        }
        return body;
    }

    private static CommandMessage readCommand(ByteBuf body, RawMessage raw) {
        List<Object> values;
        try {
            values = Amf0Reader.readAll(body);
        } catch (Amf0Exception e) {
            throw new MalformedMessageException("command message: " + e.getMessage());
        }
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new MalformedMessageException("command message does not start with a command name");
        }
        double txn = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        Object cmdObject = values.size() > 2 ? values.get(2) : null;
        List<Object> args = values.size() > 3 ? new ArrayList<>(values.subList(3, values.size())) : new ArrayList<>();
        return new CommandMessage(name, txn, cmdObject, args);
    }
}
