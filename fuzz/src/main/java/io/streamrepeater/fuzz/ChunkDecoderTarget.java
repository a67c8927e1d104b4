package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkException;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.testkit.Mutations;
import io.streamrepeater.testkit.TrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The chunk decoder alone, fed mutated chunk streams (the captured sessions without their handshake, and streams our
 * encoder wrote from generated messages: extended timestamps, 2- and 3-byte chunk stream ids, chunk size changes) at
 * random splits. Documented outcomes: everything decodes, or one {@link ChunkException} and then silence. Oracle:
 * whatever decoded re-encodes and decodes to the same messages.
 */
final class ChunkDecoderTarget implements FuzzTarget {
    private static final int[] TYPES = {1, 2, 3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22};

    private final List<byte[]> chunkStreams;

    ChunkDecoderTarget(SeedCorpus seeds) {
        this.chunkStreams = seeds.chunkStreams;
    }

    @Override
    public String name() {
        return "chunk";
    }

    @Override
    public byte[] nextInput(Random random) {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return Mutations.randomBytes(random, random.nextInt(2000));
        }
        byte[] seed = choice < 6 ? chunkStreams.get(random.nextInt(chunkStreams.size())) : generatedStream(random);
        byte[] donor =
                random.nextBoolean() ? chunkStreams.get(random.nextInt(chunkStreams.size())) : generatedStream(random);
        return Mutations.apply(seed, donor, random, random.nextInt(5));
    }

    @Override
    public Outcome run(byte[] input, long splitSeed, ByteBufAllocator alloc) {
        Decoded decoded = decode(input, splitSeed, alloc);
        byte[] reEncoded = encode(decoded.messages, alloc);
        Decoded again = decode(reEncoded, splitSeed, alloc);
        if (again.error != null) {
            throw new OracleViolation("the re-encoding of " + decoded.messages.size() + " decoded messages fails to"
                    + " decode: " + again.error);
        }
        if (!again.messages.equals(decoded.messages)) {
            throw new OracleViolation(
                    "re-encoded messages decode differently: " + decoded.messages + " became " + again.messages);
        }
        return decoded.error == null ? Outcome.ACCEPTED : Outcome.REFUSED;
    }

    private record Decoded(List<DecodedMessage> messages, ChunkException error) {}

    private static Decoded decode(byte[] input, long splitSeed, ByteBufAllocator alloc) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(ChunkLimits.DEFAULT));
        List<DecodedMessage> messages = new ArrayList<>();
        ChunkException error = null;
        try {
            Random random = new Random(splitSeed);
            for (int from = 0; from < input.length; ) {
                int to = Math.min(input.length, from + pieceSize(random));
                try {
                    channel.writeInbound(alloc.buffer(to - from).writeBytes(input, from, to - from));
                } catch (ChunkException e) {
                    if (error != null) {
                        throw new OracleViolation(
                                "a second decoder error after \"" + error.getMessage() + "\": " + e.getMessage());
                    }
                    error = e;
                } catch (DecoderException e) {
                    throw new OracleViolation("decoder failed with something other than a ChunkException: " + e);
                }
                collect(channel, messages);
                from = to;
            }
            if (channel.finish()) {
                collect(channel, messages);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return new Decoded(messages, error);
    }

    private static int pieceSize(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(16);
            default -> 1 + random.nextInt(4000);
        };
    }

    private static void collect(EmbeddedChannel channel, List<DecodedMessage> messages) {
        for (RawMessage message; (message = channel.readInbound()) != null; ) {
            try {
                messages.add(DecodedMessage.of(message));
            } finally {
                message.release();
            }
        }
        RandomSplits.releaseOutbound(channel); // acknowledgements
    }

    /** Writes {@code messages} through one {@link ChunkEncoder} and returns the bytes. */
    private static byte[] encode(List<DecodedMessage> messages, ByteBufAllocator alloc) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkEncoder());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try {
            for (DecodedMessage m : messages) {
                ByteBuf payload = alloc.buffer(m.payload().length).writeBytes(m.payload());
                channel.writeOutbound(
                        new RawMessage(m.chunkStreamId(), m.typeId(), m.timestamp(), m.messageStreamId(), payload));
                for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
                    try {
                        wire.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(out));
                    } finally {
                        out.release();
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return wire.toByteArray();
    }

    /** A chunk stream our encoder writes from up to 12 generated messages. */
    private static byte[] generatedStream(Random random) {
        TrackingAllocator alloc = TrackingAllocator.pooledDirect();
        List<DecodedMessage> messages = new ArrayList<>();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            int type = TYPES[random.nextInt(TYPES.length)];
            int csid = switch (random.nextInt(6)) {
                case 0 -> 64 + random.nextInt(256);
                case 1 -> 320 + random.nextInt(65280);
                default -> 2 + random.nextInt(7);
            };
            long timestamp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(100_000);
                case 1 -> 0xFFFFF0L + random.nextInt(32);
                case 2 -> 0xFFFFFF00L + random.nextInt(256);
                default -> random.nextLong() & 0xFFFFFFFFL;
            };
            byte[] payload;
            if (type == 1) {
                int size = random.nextBoolean()
                        ? 1 + random.nextInt(300)
                        : new int[] {128, 4096, 60_000, 0xFFFFFF}[random.nextInt(4)];
                payload = new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
                csid = 2;
            } else {
                payload = new byte[random.nextInt(8) == 0 ? random.nextInt(5000) : random.nextInt(300)];
                random.nextBytes(payload);
            }
            messages.add(new DecodedMessage(csid, type, timestamp, random.nextInt(3), payload));
        }
        byte[] wire = encode(messages, alloc);
        alloc.releaseLeftovers();
        return wire;
    }
}
