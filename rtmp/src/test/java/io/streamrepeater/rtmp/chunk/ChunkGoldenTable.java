package io.streamrepeater.rtmp.chunk;

import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_CONNECT;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_CREATE_STREAM;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_FC_PUBLISH;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_PUBLISH;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_RELEASE_STREAM;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_SET_DATA_FRAME;
import static io.streamrepeater.rtmp.CapturedClientBytes.GSTREAMER_CONNECT;
import static io.streamrepeater.rtmp.chunk.ExpectedMessage.of;
import static io.streamrepeater.rtmp.chunk.Wire.pattern;
import static io.streamrepeater.rtmp.chunk.Wire.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The chunk layer's golden table (DESIGN.md §6.1). Layouts follow what ffmpeg and OBS (librtmp) put on the wire:
 * chunk size 128 until a SetChunkSize, audio on csid 4, video on csid 6, commands on csid 3, control on csid 2.
 */
final class ChunkGoldenTable {
    private ChunkGoldenTable() {}

    static List<GoldenRow> rows() {
        byte[] connect =
                ByteBufHex.concat(new byte[] {0x02, 0x00, 0x07}, "connect".getBytes(StandardCharsets.US_ASCII));
        byte[] video300 = pattern(300, 0);
        byte[] video200 = pattern(200, 7);
        byte[] audio5 = pattern(5, 0xA0);
        byte[] small = pattern(3, 0x30);
        byte[] command40 = pattern(40, 0x50);
        return List.of(
                new GoldenRow(
                        "format 0, single chunk (AMF0 command)",
                        wire().hex("03", "basic header: fmt 0, csid 3")
                                .hex("000000", "timestamp 0")
                                .hex("00000A", "message length 10")
                                .hex("14", "type 20, AMF0 command")
                                .hex("00000000", "message stream id 0 (little endian)")
                                .data(connect, 0, 10, "payload: AMF0 string \"connect\""),
                        List.of(of(3, 20, 0, 0, connect)),
                        List.of(),
                        true),
                new GoldenRow(
                        "300-byte message split at chunk size 128",
                        wire().hex("06", "fmt 0, csid 6")
                                .hex("000028", "timestamp 40")
                                .hex("00012C", "length 300")
                                .hex("09", "type 9, video")
                                .hex("01000000", "message stream id 1")
                                .data(video300, 0, 128, "chunk 1: payload 0..127")
                                .hex("C6", "fmt 3, csid 6: continuation")
                                .data(video300, 128, 256, "chunk 2: payload 128..255")
                                .hex("C6", "fmt 3, csid 6: continuation")
                                .data(video300, 256, 300, "chunk 3: payload 256..299"),
                        List.of(of(6, 9, 40, 1, video300)),
                        List.of(),
                        true),
                new GoldenRow(
                        "audio csid 4 interleaved into a video message on csid 6",
                        wire().hex("06 000000 00012C 09 01000000", "fmt 0 csid 6: ts 0, length 300, video, msid 1")
                                .data(video300, 0, 128, "video chunk 1")
                                .hex("04 000000 000005 08 01000000", "fmt 0 csid 4: ts 0, length 5, audio, msid 1")
                                .data(audio5, 0, 5, "audio, complete in one chunk")
                                .hex("C6", "fmt 3 csid 6")
                                .data(video300, 128, 256, "video chunk 2")
                                .hex("C6", "fmt 3 csid 6")
                                .data(video300, 256, 300, "video chunk 3"),
                        List.of(of(4, 8, 0, 1, audio5), of(6, 9, 0, 1, video300)),
                        List.of(),
                        false),
                new GoldenRow(
                        "formats 0, 1, 2, 3 on one chunk stream",
                        wire().hex("04 0003E8 000004 08 01000000", "fmt 0 csid 4: ts 1000, length 4, audio, msid 1")
                                .data(pattern(4, 1), 0, 4, "payload")
                                .hex("44 000014 000005 08", "fmt 1: delta 20, length 5, audio")
                                .data(pattern(5, 2), 0, 5, "payload (ts 1020)")
                                .hex("84 00001E", "fmt 2: delta 30")
                                .data(pattern(5, 3), 0, 5, "payload (ts 1050)")
                                .hex("C4", "fmt 3: new message, delta 30 again")
                                .data(pattern(5, 4), 0, 5, "payload (ts 1080)"),
                        List.of(
                                of(4, 8, 1000, 1, pattern(4, 1)), of(4, 8, 1020, 1, pattern(5, 2)),
                                of(4, 8, 1050, 1, pattern(5, 3)), of(4, 8, 1080, 1, pattern(5, 4))),
                        List.of(),
                        true),
                new GoldenRow(
                        "format 3 message after format 0 takes the format-0 timestamp as delta",
                        wire().hex("04 000064 000002 08 01000000", "fmt 0 csid 4: ts 100, length 2, audio")
                                .data(pattern(2, 1), 0, 2, "payload")
                                .hex("C4", "fmt 3: new message; delta = 100 (spec 5.3.1.2.4)")
                                .data(pattern(2, 2), 0, 2, "payload (ts 200)"),
                        List.of(of(4, 8, 100, 1, pattern(2, 1)), of(4, 8, 200, 1, pattern(2, 2))),
                        List.of(),
                        false),
                new GoldenRow(
                        "SetChunkSize mid-stream applies to the next chunk",
                        wire().hex("06 000000 0000C8 09 01000000", "fmt 0 csid 6: ts 0, length 200, video")
                                .data(video200, 0, 128, "chunk 1 at size 128")
                                .hex("C6", "fmt 3 csid 6")
                                .data(video200, 128, 200, "chunk 2")
                                .hex("02 000000 000004 01 00000000", "fmt 0 csid 2: SetChunkSize, msid 0")
                                .hex("00000100", "chunk size 256")
                                .hex("46 000021 00012C 09", "fmt 1 csid 6: delta 33, length 300, video")
                                .data(video300, 0, 256, "chunk 1 at size 256")
                                .hex("C6", "fmt 3 csid 6")
                                .data(video300, 256, 300, "chunk 2"),
                        List.of(
                                of(6, 9, 0, 1, video200),
                                of(2, 1, 0, 0, new byte[] {0, 0, 1, 0}),
                                of(6, 9, 33, 1, video300)),
                        List.of(),
                        true),
                new GoldenRow(
                        "2-byte chunk stream ids 64 and 319",
                        wire().hex("00 00", "fmt 0, csid escape 0 + byte 0: csid 64")
                                .hex("000000 000003 08 01000000", "ts 0, length 3, audio, msid 1")
                                .data(small, 0, 3, "payload")
                                .hex("00 FF", "fmt 0, csid escape 0 + byte 255: csid 319")
                                .hex("000000 0000C8 09 01000000", "ts 0, length 200, video, msid 1")
                                .data(video200, 0, 128, "chunk 1")
                                .hex("C0 FF", "fmt 3, csid 319")
                                .data(video200, 128, 200, "chunk 2"),
                        List.of(of(64, 8, 0, 1, small), of(319, 9, 0, 1, video200)),
                        List.of(),
                        true),
                new GoldenRow(
                        "3-byte chunk stream ids 320 and 65599",
                        wire().hex("01 00 01", "fmt 0, csid escape 1: 64 + 0 + 1*256 = 320")
                                .hex("000000 000003 08 01000000", "ts 0, length 3, audio, msid 1")
                                .data(small, 0, 3, "payload")
                                .hex("01 FF FF", "fmt 0, csid escape 1: 64 + 255 + 255*256 = 65599")
                                .hex("000000 0000C8 09 01000000", "ts 0, length 200, video, msid 1")
                                .data(video200, 0, 128, "chunk 1")
                                .hex("C1 FF FF", "fmt 3, csid 65599")
                                .data(video200, 128, 200, "chunk 2"),
                        List.of(of(320, 8, 0, 1, small), of(65599, 9, 0, 1, video200)),
                        List.of(),
                        true),
                new GoldenRow(
                        "extended timestamp repeated on continuation chunks",
                        wire().hex("04 FFFFFF 00012C 09 01000000", "fmt 0 csid 4: ts 0xFFFFFF = see extended")
                                .hex("01000000", "extended timestamp 16777216")
                                .data(video300, 0, 128, "chunk 1")
                                .hex("C4 01000000", "fmt 3 + extended timestamp again")
                                .data(video300, 128, 256, "chunk 2")
                                .hex("C4 01000000", "fmt 3 + extended timestamp again")
                                .data(video300, 256, 300, "chunk 3"),
                        List.of(of(4, 9, 0x01000000L, 1, video300)),
                        List.of(),
                        true),
                new GoldenRow(
                        "extended timestamp not repeated on continuation chunks",
                        wire().hex("04 FFFFFF 00012C 09 01000000", "fmt 0 csid 4: ts 0xFFFFFF = see extended")
                                .hex("01000000", "extended timestamp 16777216")
                                .data(video300, 0, 128, "chunk 1")
                                .hex("C4", "fmt 3, no extended timestamp")
                                .data(video300, 128, 256, "chunk 2 (starts 80 81 82 83, not the timestamp)")
                                .hex("C4", "fmt 3, no extended timestamp")
                                .data(video300, 256, 300, "chunk 3"),
                        List.of(of(4, 9, 0x01000000L, 1, video300)),
                        List.of(),
                        false),
                new GoldenRow(
                        "timestamp of exactly 0xFFFFFF goes in the extended field",
                        wire().hex("04 FFFFFF 000003 08 01000000", "fmt 0 csid 4: marker, length 3, audio")
                                .hex("00FFFFFF", "extended timestamp 16777215")
                                .data(small, 0, 3, "payload"),
                        List.of(of(4, 8, 0xFFFFFFL, 1, small)),
                        List.of(),
                        true),
                new GoldenRow(
                        "timestamp wraps past 0xFFFFFFFF",
                        wire().hex("04 FFFFFF 000003 08 01000000", "fmt 0 csid 4: marker, length 3, audio")
                                .hex("FFFFFFF0", "extended timestamp 4294967280")
                                .data(small, 0, 3, "payload")
                                .hex("84 000020", "fmt 2: delta 32, wraps to 16")
                                .data(small, 0, 3, "payload"),
                        List.of(of(4, 8, 0xFFFFFFF0L, 1, small), of(4, 8, 16, 1, small)),
                        List.of(),
                        true),
                new GoldenRow(
                        "extended delta on format 1, repeated by a format-3 message",
                        wire().hex("04 000000 000002 08 01000000", "fmt 0 csid 4: ts 0, length 2, audio")
                                .data(pattern(2, 1), 0, 2, "payload")
                                .hex("44 FFFFFF 000003 08", "fmt 1: delta see extended, length 3, audio")
                                .hex("01000000", "extended delta 16777216")
                                .data(pattern(3, 2), 0, 3, "payload (ts 16777216)")
                                .hex("C4 01000000", "fmt 3 new message, extended delta repeated")
                                .data(pattern(3, 3), 0, 3, "payload (ts 33554432)"),
                        List.of(
                                of(4, 8, 0, 1, pattern(2, 1)),
                                of(4, 8, 0x01000000L, 1, pattern(3, 2)),
                                of(4, 8, 0x02000000L, 1, pattern(3, 3))),
                        List.of(),
                        true),
                new GoldenRow(
                        "Abort drops the partial message on the named chunk stream",
                        wire().hex("04 000000 00012C 09 01000000", "fmt 0 csid 4: length 300, video")
                                .data(video300, 0, 128, "chunk 1 of 3, then the sender gives up")
                                .hex("02 000000 000004 02 00000000", "fmt 0 csid 2: Abort, msid 0")
                                .hex("00000004", "chunk stream 4")
                                .hex("04 000064 000003 09 01000000", "fmt 0 csid 4: ts 100, length 3, video")
                                .data(small, 0, 3, "payload"),
                        List.of(of(2, 2, 0, 0, new byte[] {0, 0, 0, 4}), of(4, 9, 100, 1, small)),
                        List.of(),
                        false),
                new GoldenRow(
                        "Acknowledgement written each time the window is reached",
                        wire().hex("02 000000 000004 05 00000000", "fmt 0 csid 2: Window Acknowledgement Size")
                                .hex("00000032", "window 50 (16 bytes so far)")
                                .hex("03 000000 000028 14 00000000", "fmt 0 csid 3: length 40, command")
                                .data(command40, 0, 40, "payload (68 bytes so far: ack 68)")
                                .hex("83 000000", "fmt 2: delta 0")
                                .data(command40, 0, 40, "payload (112 bytes so far)")
                                .hex("C3", "fmt 3: delta 0 again")
                                .data(command40, 0, 40, "payload (153 bytes so far: ack 153)"),
                        List.of(
                                of(2, 5, 0, 0, new byte[] {0, 0, 0, 50}), of(3, 20, 0, 0, command40),
                                of(3, 20, 0, 0, command40), of(3, 20, 0, 0, command40)),
                        List.of(68L, 153L),
                        true),

                // Captured from ffmpeg 5.1 (Lavf59.27.100): everything it sends after the handshake up to its first
                // media, in order; the message bodies are CapturedClientBytes, the chunk headers are as captured.
                new GoldenRow(
                        "captured ffmpeg publish opening: connect split at 128, SetChunkSize 4096, format-1 commands,"
                                + " publish on csid 8, @setDataFrame on csid 4",
                        wire().hex("03", "basic header: fmt 0, csid 3 (commands)")
                                .hex("000000", "timestamp 0")
                                .hex("00008C", "message length 140")
                                .hex("14", "type 20, AMF0 command")
                                .hex("00000000", "message stream id 0")
                                .data(FFMPEG_CONNECT, 0, 128, "connect, bytes 0..127 (chunk size 128)")
                                .hex("C3", "fmt 3, csid 3: continuation")
                                .data(
                                        FFMPEG_CONNECT,
                                        128,
                                        140,
                                        "connect, bytes 128..139 (the end of tcUrl, object end)")
                                .hex(
                                        "02 000000 000004 01 00000000",
                                        "fmt 0 csid 2: ts 0, length 4, SetChunkSize, msid 0")
                                .hex("00001000", "chunk size 4096 from here on")
                                .hex("43 000000 000028 14", "fmt 1 csid 3: delta 0, length 40, AMF0 command")
                                .data(FFMPEG_RELEASE_STREAM, 0, 40, "releaseStream")
                                .hex("43 000000 000024 14", "fmt 1 csid 3: delta 0, length 36, AMF0 command")
                                .data(FFMPEG_FC_PUBLISH, 0, 36, "FCPublish")
                                .hex("43 000000 000019 14", "fmt 1 csid 3: delta 0, length 25, AMF0 command")
                                .data(FFMPEG_CREATE_STREAM, 0, 25, "createStream")
                                .hex(
                                        "08 000000 000029 14 01000000",
                                        "fmt 0 csid 8: ts 0, length 41, AMF0 command, msid 1")
                                .data(FFMPEG_PUBLISH, 0, 41, "publish")
                                .hex(
                                        "04 000000 000135 12 01000000",
                                        "fmt 0 csid 4: ts 0, length 309, AMF0 data, msid 1")
                                .data(
                                        FFMPEG_SET_DATA_FRAME,
                                        0,
                                        309,
                                        "@setDataFrame onMetaData, one chunk at size 4096"),
                        List.of(
                                of(3, 20, 0, 0, FFMPEG_CONNECT),
                                of(2, 1, 0, 0, new byte[] {0, 0, 0x10, 0}),
                                of(3, 20, 0, 0, FFMPEG_RELEASE_STREAM),
                                of(3, 20, 0, 0, FFMPEG_FC_PUBLISH),
                                of(3, 20, 0, 0, FFMPEG_CREATE_STREAM),
                                of(8, 20, 0, 1, FFMPEG_PUBLISH),
                                of(4, 18, 0, 1, FFMPEG_SET_DATA_FRAME)),
                        List.of(),
                        true),
                new GoldenRow(
                        "captured GStreamer rtmp2sink connect: one 118-byte chunk",
                        wire().hex("03", "basic header: fmt 0, csid 3")
                                .hex("000000", "timestamp 0")
                                .hex("000076", "message length 118")
                                .hex("14", "type 20, AMF0 command")
                                .hex("00000000", "message stream id 0")
                                .data(GSTREAMER_CONNECT, 0, 118, "connect, whole (fits the default chunk size 128)"),
                        List.of(of(3, 20, 0, 0, GSTREAMER_CONNECT)),
                        List.of(),
                        true));
    }

    static List<ErrorRow> errorRows() {
        byte[] video300 = pattern(300, 0);
        ChunkLimits defaults = ChunkLimits.DEFAULT;
        ChunkLimits twoStreams = new ChunkLimits(0xFFFFFF, 0xFFFFFF, 2, 1 << 20);
        ChunkLimits smallMessages = new ChunkLimits(0xFFFFFF, 1000, 64, 1 << 20);
        ChunkLimits smallPending = new ChunkLimits(0xFFFFFF, 0xFFFFFF, 64, 200);
        return List.of(
                new ErrorRow(
                        "format 1 on a chunk stream with no previous header",
                        defaults,
                        wire().hex("44 000000 000004 08", "fmt 1 csid 4, nothing before on csid 4"),
                        "header format 1 on chunk stream 4, which has no previous header (a chunk stream must start with format 0)",
                        List.of()),
                new ErrorRow(
                        "format 2 on a chunk stream with no previous header",
                        defaults,
                        wire().hex("84 000000", "fmt 2 csid 4"),
                        "header format 2 on chunk stream 4, which has no previous header (a chunk stream must start with format 0)",
                        List.of()),
                new ErrorRow(
                        "format 3 on a chunk stream with no previous header",
                        defaults,
                        wire().hex("C4", "fmt 3 csid 4"),
                        "header format 3 on chunk stream 4, which has no previous header (a chunk stream must start with format 0)",
                        List.of()),
                new ErrorRow(
                        "more chunk streams than the limit",
                        twoStreams,
                        wire().hex("03 000000 000001 14 00000000 AA", "csid 3, 1-byte message")
                                .hex("04 000000 000001 08 01000000 BB", "csid 4, 1-byte message")
                                .hex("05 000000 000001 08 01000000 CC", "csid 5: a third chunk stream"),
                        "chunk stream 5 would be chunk stream number 3 on this connection, limit 2",
                        List.of(of(3, 20, 0, 0, new byte[] {(byte) 0xAA}), of(4, 8, 0, 1, new byte[] {(byte) 0xBB}))),
                new ErrorRow(
                        "message longer than the limit",
                        smallMessages,
                        wire().hex("04 000000 0003E9 09 01000000", "fmt 0 csid 4: length 1001"),
                        "message length 1001 on chunk stream 4 exceeds limit 1000",
                        List.of()),
                new ErrorRow(
                        "SetChunkSize 0",
                        defaults,
                        wire().hex("02 000000 000004 01 00000000", "SetChunkSize")
                                .hex("00000000", "0"),
                        "chunk size 0 is invalid, must be 1..16777215",
                        List.of()),
                new ErrorRow(
                        "SetChunkSize with the top bit set",
                        defaults,
                        wire().hex("02 000000 000004 01 00000000", "SetChunkSize")
                                .hex("80000000", "top bit set"),
                        "chunk size 2147483648 has the reserved top bit set",
                        List.of()),
                new ErrorRow(
                        "SetChunkSize over the limit",
                        defaults,
                        wire().hex("02 000000 000004 01 00000000", "SetChunkSize")
                                .hex("7FFFFFFF", "2147483647"),
                        "chunk size 2147483647 exceeds limit 16777215",
                        List.of()),
                new ErrorRow(
                        "SetChunkSize with a short payload",
                        defaults,
                        wire().hex("02 000000 000002 01 00000000", "SetChunkSize, length 2")
                                .hex("0100", "half a value"),
                        "SetChunkSize payload has 2 bytes, expected 4",
                        List.of()),
                new ErrorRow(
                        "partial payloads over the pending limit",
                        smallPending,
                        wire().hex("04 000000 00012C 09 01000000", "csid 4: length 300")
                                .data(video300, 0, 128, "128 pending")
                                .hex("06 000000 00012C 09 01000000", "csid 6: length 300")
                                .data(video300, 0, 128, "256 pending"),
                        "pending partial payload 256 bytes exceeds limit 200 (while receiving chunk stream 6)",
                        List.of()),
                new ErrorRow(
                        "new header in the middle of a message",
                        defaults,
                        wire().hex("04 000000 00012C 09 01000000", "csid 4: length 300")
                                .data(video300, 0, 128, "chunk 1")
                                .hex("04 000000 000003 09 01000000", "fmt 0 again instead of a continuation"),
                        "header format 0 on chunk stream 4 while its 300-byte message has 128 bytes; expected a format 3 continuation",
                        List.of()));
    }
}
