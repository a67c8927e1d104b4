package io.streamrepeater.channel;

import io.netty.buffer.Unpooled;
import io.streamrepeater.media.MediaPacket;

/** Hand-made FLV tag bodies for channel tests (legacy AVC video, AAC audio). */
final class Packets {
    private Packets() {}

    /** AVC sequence header; {@code variant} changes the bytes so two encoders' headers differ. */
    static MediaPacket videoHeader(long ts, int variant) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {
            0x17,
            0x00,
            0,
            0,
            0, // keyframe|AVC, sequence header, composition time 0
            0x01,
            0x64,
            0x00,
            (byte) variant,
            (byte) 0xFF,
            (byte) 0xE0,
            0x00
        })); // truncated AVCC (not parsed here)
    }

    static MediaPacket audioHeader(long ts) {
        return MediaPacket.fromRtmp(8, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x00, 0x12, 0x10}));
    }

    static MediaPacket keyframe(long ts) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65}));
    }

    static MediaPacket inter(long ts) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {0x27, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x41}));
    }

    static MediaPacket audio(long ts) {
        return MediaPacket.fromRtmp(8, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x01, 0x21, 0x22}));
    }

    /** A video frame with a composition time offset (B-frame streams: PTS = DTS + cts). */
    static MediaPacket frameWithCts(long ts, boolean key, int ctsMs) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {
            (byte) (key ? 0x17 : 0x27), 0x01, (byte) (ctsMs >> 16), (byte) (ctsMs >> 8), (byte) ctsMs, 0, 0, 0, 1, 0x41
        }));
    }

    /** AAC sequence header for 48 kHz stereo (AudioSpecificConfig 0x11 0x90). */
    static MediaPacket audioHeader48k(long ts) {
        return MediaPacket.fromRtmp(8, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x00, 0x11, (byte) 0x90}));
    }

    /** An inter frame whose body is {@code bytes} long (for bitrate tests). */
    static MediaPacket interOfSize(long ts, int bytes, boolean key) {
        byte[] body = new byte[Math.max(bytes, 10)];
        body[0] = (byte) (key ? 0x17 : 0x27);
        body[1] = 0x01;
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(body));
    }
}
