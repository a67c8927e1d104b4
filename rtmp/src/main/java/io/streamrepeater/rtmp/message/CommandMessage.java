package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.amf0.Amf0Writer;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Command message (type 20, AMF0; type 17 is the AMF3 form, which starts with one format byte and
 * then uses AMF0 values that may switch to AMF3). Layout: name, transaction id, command object,
 * then optional arguments.
 */
public record CommandMessage(String name, double transactionId, Object commandObject, List<Object> arguments)
        implements RtmpMessage {

    public CommandMessage {
        // Arguments may hold AMF0 nulls, so List.copyOf (which rejects nulls) is not an option.
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** Shorthand: a command with the given arguments (nulls allowed). */
    public static CommandMessage of(String name, double transactionId, Object commandObject, Object... arguments) {
        return new CommandMessage(name, transactionId, commandObject, new ArrayList<>(Arrays.asList(arguments)));
    }

    /** The argument at {@code index}, or null when absent. */
    public Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /** The argument at {@code index} as a string, or null when absent or not a string. */
    public String stringArgument(int index) {
        return argument(index) instanceof String s ? s : null;
    }

    /** The command object as a map, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> commandObjectMap() {
        return commandObject instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        ByteBuf b = alloc.buffer(128);
        try {
            Amf0Writer.write(b, name);
            Amf0Writer.write(b, transactionId);
            Amf0Writer.write(b, commandObject);
            for (Object a : arguments) {
                Amf0Writer.write(b, a);
            }
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        return new RawMessage(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, 0, messageStreamId, b);
    }
}
