package io.streamrepeater.amf0;

import io.streamrepeater.testkit.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AMF0 golden table (DESIGN.md §6.1): every row is decoded and encoded by the same bytes. Rows
 * the writer cannot produce (references, AMF3, lenient encodings) live in {@link #readerOnlyRows()}.
 */
final class Amf0GoldenTable {

    private Amf0GoldenTable() {}

    /** Rows that decode to their values and that the writer reproduces byte for byte. */
    static List<GoldenRow> rows() {
        List<GoldenRow> rows = new ArrayList<>();

        // Captured from ffmpeg 5.1.9 (Lavf59.27.100) and GStreamer 1.22 rtmp2sink publishing to
        // rtmp://127.0.0.1:PORT/live/capture-key (app/src/test/.../ClientOpeningCapture); the rtmp module's
        // CapturedClientBytes holds the same bodies with their chunk headers.
        rows.add(GoldenRow.of(
                "captured ffmpeg connect: app, type, flashVer, tcUrl and nothing else",
                """
                02 00 07 "connect"                          # string, 7 bytes: command name
                00 3f f0 00 00 00 00 00 00                  # number 1.0: transaction id
                03                                          # object: command object
                   00 03 "app"                              # key, 3 bytes
                   02 00 04 "live"                          # string, 4 bytes
                   00 04 "type"                             # key, 4 bytes
                   02 00 0a "nonprivate"                    # string, 10 bytes
                   00 08 "flashVer"                         # key, 8 bytes
                   02 00 24 "FMLE/3.0 (compatible; Lavf59.27.100)"  # string, 36 bytes
                   00 05 "tcUrl"                            # key, 5 bytes
                   02 00 1b "rtmp://127.0.0.1:33133/live"   # string, 27 bytes
                   00 00 09                                 # end of object
                """,
                "connect",
                1.0,
                object(
                        "app", "live",
                        "type", "nonprivate",
                        "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
                        "tcUrl", "rtmp://127.0.0.1:33133/live")));

        rows.add(GoldenRow.of(
                "captured ffmpeg @setDataFrame onMetaData (640x360 H.264 30 fps 600k, AAC 44.1 kHz stereo)",
                """
                02 00 0d "@setDataFrame"                    # string, 13 bytes: data handler
                02 00 0a "onMetaData"                       # string, 10 bytes: event name
                08 00 00 00 0d                              # ECMA array, 13 entries
                   00 08 "duration"                         # key, 8 bytes
                   00 00 00 00 00 00 00 00 00               # number 0.0
                   00 05 "width"                            # key, 5 bytes
                   00 40 84 00 00 00 00 00 00               # number 640.0
                   00 06 "height"                           # key, 6 bytes
                   00 40 76 80 00 00 00 00 00               # number 360.0
                   00 0d "videodatarate"                    # key, 13 bytes
                   00 40 82 4f 80 00 00 00 00               # number 585.9375
                   00 09 "framerate"                        # key, 9 bytes
                   00 40 3e 00 00 00 00 00 00               # number 30.0
                   00 0c "videocodecid"                     # key, 12 bytes
                   00 40 1c 00 00 00 00 00 00               # number 7.0
                   00 0d "audiodatarate"                    # key, 13 bytes
                   00 40 57 70 00 00 00 00 00               # number 93.75
                   00 0f "audiosamplerate"                  # key, 15 bytes
                   00 40 e5 88 80 00 00 00 00               # number 44100.0
                   00 0f "audiosamplesize"                  # key, 15 bytes
                   00 40 30 00 00 00 00 00 00               # number 16.0
                   00 06 "stereo"                           # key, 6 bytes
                   01 01                                    # boolean true
                   00 0c "audiocodecid"                     # key, 12 bytes
                   00 40 24 00 00 00 00 00 00               # number 10.0
                   00 07 "encoder"                          # key, 7 bytes
                   02 00 0d "Lavf59.27.100"                 # string, 13 bytes
                   00 08 "filesize"                         # key, 8 bytes
                   00 00 00 00 00 00 00 00 00               # number 0.0
                   00 00 09                                 # end of object
                """,
                "@setDataFrame",
                "onMetaData",
                ecmaArray(
                        "duration", 0.0,
                        "width", 640.0,
                        "height", 360.0,
                        "videodatarate", 585.9375,
                        "framerate", 30.0,
                        "videocodecid", 7.0,
                        "audiodatarate", 93.75,
                        "audiosamplerate", 44100.0,
                        "audiosamplesize", 16.0,
                        "stereo", true,
                        "audiocodecid", 10.0,
                        "encoder", "Lavf59.27.100",
                        "filesize", 0.0)));

        rows.add(GoldenRow.of(
                "captured GStreamer rtmp2sink connect: flashVer LNX 10,0,32,18",
                """
                02 00 07 "connect"                          # string, 7 bytes: command name
                00 3f f0 00 00 00 00 00 00                  # number 1.0: transaction id
                03                                          # object: command object
                   00 03 "app"                              # key, 3 bytes
                   02 00 04 "live"                          # string, 4 bytes
                   00 04 "type"                             # key, 4 bytes
                   02 00 0a "nonprivate"                    # string, 10 bytes
                   00 08 "flashVer"                         # key, 8 bytes
                   02 00 0e "LNX 10,0,32,18"                # string, 14 bytes
                   00 05 "tcUrl"                            # key, 5 bytes
                   02 00 1b "rtmp://127.0.0.1:37811/live"   # string, 27 bytes
                   00 00 09                                 # end of object
                """,
                "connect",
                1.0,
                object(
                        "app", "live",
                        "type", "nonprivate",
                        "flashVer", "LNX 10,0,32,18",
                        "tcUrl", "rtmp://127.0.0.1:37811/live")));

        rows.add(GoldenRow.of(
                "_result of connect: NetConnection.Connect.Success",
                """
                02 00 07 "_result"                     # string: response name
                00 3f f0 00 00 00 00 00 00             # number: transaction id 1.0
                03                                     # object: properties
                   00 06 "fmsVer"        02 00 0d "FMS/3,0,1,123"
                   00 0c "capabilities"  00 40 3f 00 00 00 00 00 00   # 31.0
                   00 00 09
                03                                     # object: information
                   00 05 "level"          02 00 06 "status"
                   00 04 "code"           02 00 1d "NetConnection.Connect.Success"
                   00 0b "description"    02 00 15 "Connection succeeded."
                   00 0e "objectEncoding" 00 00 00 00 00 00 00 00 00  # 0.0 = AMF0
                   00 00 09
                """,
                "_result",
                1.0,
                object("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0),
                object(
                        "level",
                        "status",
                        "code",
                        "NetConnection.Connect.Success",
                        "description",
                        "Connection succeeded.",
                        "objectEncoding",
                        0.0)));

        rows.add(GoldenRow.of("numbers", """
                00 00 00 00 00 00 00 00 00   # 0.0
                00 80 00 00 00 00 00 00 00   # -0.0 keeps its sign
                00 bf f8 00 00 00 00 00 00   # -1.5
                00 7e 37 e4 3c 88 00 75 9c   # 1e300
                00 7f f8 00 00 00 00 00 00   # NaN
                00 7f f0 00 00 00 00 00 00   # +infinity
                """, 0.0, -0.0, -1.5, 1e300, Double.NaN, Double.POSITIVE_INFINITY));

        rows.add(GoldenRow.of(
                "booleans, null, undefined, unsupported", """
                01 01      # true
                01 00      # false
                05         # null
                06         # undefined
                0d         # unsupported
                """, true, false, null, Amf0.UNDEFINED, Amf0.UNSUPPORTED));

        rows.add(GoldenRow.of("empty and non-ASCII strings", """
                02 00 00                          # ""
                02 00 16 "héllo ✓ 日本 🎥"         # 22 UTF-8 bytes: 2-, 3- and 4-byte sequences
                """, "", "héllo ✓ 日本 🎥"));

        String shortestLong = "a".repeat(70_000);
        rows.add(new GoldenRow(
                "long string of 70000 bytes",
                concat(
                        Hex.bytes("0c 00 01 11 70   # long string, U32 length 70000"),
                        shortestLong.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                List.of(shortestLong)));

        String longestShort = "b".repeat(0xFFFF);
        rows.add(new GoldenRow(
                "string of exactly 65535 bytes stays a short string",
                concat(
                        Hex.bytes("02 ff ff   # string, U16 length 65535"),
                        longestShort.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                List.of(longestShort)));

        String twoByteChars = "é".repeat(32_768); // 32768 chars but 65536 UTF-8 bytes
        rows.add(new GoldenRow(
                "65536 UTF-8 bytes in 32768 chars is a long string",
                concat(
                        Hex.bytes("0c 00 01 00 00   # long string, U32 length 65536"),
                        twoByteChars.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                List.of(twoByteChars)));

        rows.add(GoldenRow.of("date 2024-01-01T00:00:00Z", """
                0b                            # date
                42 78 cc 25 1f 40 00 00       # 1704067200000.0 ms since the epoch
                00 00                         # time zone, reserved, 0
                """, Amf0Date.ofEpochMillis(1_704_067_200_000.0)));

        rows.add(GoldenRow.of("date with a non-zero time zone field", """
                0b 00 00 00 00 00 00 00 00    # date 0.0
                ff c4                         # time zone -60 (signed)
                """, new Amf0Date(0.0, (short) -60)));

        rows.add(GoldenRow.of(
                "typed object", """
                10 00 11 "org.example.Point"            # typed object, class name
                   00 01 "x" 00 3f f0 00 00 00 00 00 00 # 1.0
                   00 01 "y" 00 40 00 00 00 00 00 00 00 # 2.0
                   00 00 09
                """, new Amf0TypedObject("org.example.Point", object("x", 1.0, "y", 2.0))));

        rows.add(GoldenRow.of("strict array", """
                0a 00 00 00 04                 # strict array, count 4
                   00 3f f0 00 00 00 00 00 00  # 1.0
                   02 00 03 "two"
                   01 01                       # true
                   05                          # null
                """, Arrays.asList(1.0, "two", true, null)));

        rows.add(GoldenRow.of("empty containers", """
                03 00 00 09                    # object {}
                08 00 00 00 00 00 00 09        # ECMA array, count 0
                0a 00 00 00 00                 # strict array, count 0
                """, object(), ecmaArray(), List.of()));

        rows.add(GoldenRow.of(
                "nested object",
                """
                03
                   00 01 "a" 03
                      00 01 "b" 03
                         00 01 "c" 02 00 04 "deep"
                         00 00 09
                      00 04 "list" 0a 00 00 00 01
                         08 00 00 00 01
                            00 01 "k" 06         # undefined
                            00 00 09
                      00 00 09
                   00 01 "z" 00 40 45 00 00 00 00 00 00   # 42.0
                   00 00 09
                """,
                object(
                        "a",
                        object(
                                "b", object("c", "deep"),
                                "list", List.of(ecmaArray("k", Amf0.UNDEFINED))),
                        "z",
                        42.0)));

        rows.add(GoldenRow.of("object with an empty property name", """
                03
                   00 00 00 3f e0 00 00 00 00 00 00   # "" = 0.5; not an end marker, the value is no 0x09
                   00 00 09
                """, object("", 0.5)));

        rows.add(GoldenRow.of("XML document", """
                0f 00 00 00 22 "<config><mode>live</mode></config>"   # U32 length 34
                """, new Amf0XmlDocument("<config><mode>live</mode></config>")));

        return rows;
    }

    /** Rows the reader must decode but the writer does not produce (it writes no references nor AMF3). */
    static List<GoldenRow> readerOnlyRows() {
        List<GoldenRow> rows = new ArrayList<>();

        rows.add(GoldenRow.of(
                "reference to an earlier object", """
                03                                   # object, reference index 0
                   00 01 "a" 03                      # object, reference index 1
                      00 01 "n" 00 3f f0 00 00 00 00 00 00
                      00 00 09
                   00 01 "b" 07 00 01                # reference to index 1
                   00 00 09
                """, object("a", object("n", 1.0), "b", object("n", 1.0))));

        rows.add(GoldenRow.of(
                "references count strict arrays, ECMA arrays and typed objects, not dates",
                """
                0a 00 00 00 05                       # strict array, index 0
                   08 00 00 00 00 00 00 09           # ECMA array, index 1
                   0b 00 00 00 00 00 00 00 00 00 00  # date: not referenceable
                   10 00 01 "T" 00 00 09             # typed object, index 2
                   07 00 02                          # -> typed object
                   07 00 01                          # -> ECMA array
                """,
                Arrays.asList(
                        ecmaArray(),
                        Amf0Date.ofEpochMillis(0),
                        new Amf0TypedObject("T", object()),
                        new Amf0TypedObject("T", object()),
                        ecmaArray())));

        rows.add(GoldenRow.of(
                "a reference reaches back into an earlier value of the same message",
                """
                03 00 01 "k" 02 00 01 "v" 00 00 09   # object, index 0
                07 00 00                             # second value: reference to it
                """,
                object("k", "v"),
                object("k", "v")));

        rows.add(GoldenRow.of(
                "ECMA array whose count does not match its entries",
                """
                08 00 00 00 00                       # count 0, as some encoders write
                   00 01 "a" 01 01
                   00 01 "b" 01 00
                   00 00 09
                08 00 00 00 07                       # count 7, but one entry
                   00 01 "c" 05
                   00 00 09
                """,
                ecmaArray("a", true, "b", false),
                ecmaArray("c", null)));

        rows.add(GoldenRow.of("long string marker holding a short string", """
                0c 00 00 00 02 "hi"
                """, "hi"));

        rows.add(GoldenRow.of("any non-zero boolean byte is true", """
                01 02
                """, true));

        rows.add(GoldenRow.of("AMF3 undefined, null, false, true", """
                11 00   # AVM+ switch, AMF3 undefined
                11 01   # null
                11 02   # false
                11 03   # true
                """, Amf0.UNDEFINED, null, false, true));

        rows.add(GoldenRow.of("AMF3 integers (U29, sign-extended)", """
                11 04 05                 # 5
                11 04 81 00              # 2 bytes: 1<<7 = 128
                11 04 81 80 80 00        # 4 bytes: last byte has 8 bits, 1<<22
                11 04 bf ff ff ff        # 0x0FFFFFFF, the largest positive
                11 04 ff ff ff ff        # 0x1FFFFFFF sign-extends to -1
                11 04 c0 80 80 00        # 0x10000000 sign-extends to the smallest, -2^28
                """, 5, 128, 1 << 22, 0x0FFFFFFF, -1, -(1 << 28)));

        rows.add(GoldenRow.of("AMF3 double", """
                11 05 40 09 21 fb 54 44 2d 18   # pi
                """, Math.PI));

        rows.add(GoldenRow.of("AMF3 strings with a string reference", """
                11 09 09 01        # AMF3 array, U29A: dense count 4, inline; no named entries (empty key)
                   06 07 "foo"     # string, U29S: length 3, inline -> string table index 0
                   06 00           # string, U29S: reference to index 0
                   06 01           # empty string: inline, never enters the table
                   06 07 "bar"     # index 1
                """, List.of("foo", "foo", "", "bar")));

        rows.add(GoldenRow.of("AMF3 dense array", """
                11 09 07 01 04 01 04 02 04 03   # [1, 2, 3]
                """, List.of(1, 2, 3)));

        rows.add(GoldenRow.of("AMF3 array with named and dense entries", """
                11 09 05               # dense count 2
                   03 "k" 06 03 "v"    # named entry k = "v"
                   01                  # end of named entries
                   04 01 04 02         # dense 1, 2
                """, ecmaArray("k", "v", "0", 1, "1", 2)));

        rows.add(
                GoldenRow.of("AMF3 object with sealed and dynamic members", """
                11 0a 2b          # object, U29O: inline, inline traits, dynamic, 2 sealed members
                   01             # class name "" (anonymous)
                   03 "x" 03 "y"  # sealed member names
                   04 01 04 02    # sealed values x = 1, y = 2
                   07 "foo" 06 07 "bar"  # dynamic member foo = "bar"
                   01             # end of dynamic members
                """, object("x", 1, "y", 2, "foo", "bar")));

        rows.add(GoldenRow.of(
                "AMF3 typed object, traits reference and object reference",
                """
                11 09 07 01             # array of 3 (object table index 0)
                   0a 13 0b "Point"     # object, inline traits, 1 sealed member, class "Point" (index 1)
                      03 "x" 04 01      # member x = 1
                   0a 01 04 02          # object, traits reference 0 (index 2), x = 2
                   0a 02                # object reference 1 -> the first Point
                """,
                List.of(
                        new Amf0TypedObject("Point", object("x", 1)),
                        new Amf0TypedObject("Point", object("x", 2)),
                        new Amf0TypedObject("Point", object("x", 1)))));

        rows.add(GoldenRow.of(
                "AMF3 date, XML, XMLDocument and byte array",
                """
                11 08 01 42 78 cc 25 1f 40 00 00   # date, inline, 1704067200000.0
                11 0b 09 "<a/>"                    # XML, length 4
                11 07 09 "<b/>"                    # XMLDocument, length 4
                11 0c 07 01 02 03                  # byte array, length 3
                """,
                Amf0Date.ofEpochMillis(1_704_067_200_000.0),
                new Amf0XmlDocument("<a/>"),
                new Amf0XmlDocument("<b/>"),
                new byte[] {1, 2, 3}));

        rows.add(GoldenRow.of("AMF3 value inside an AMF0 object", """
                03 00 01 "v" 11 04 07 00 00 09    # {v: AMF3 integer 7}
                """, object("v", 7)));

        return rows;
    }

    static Amf0Object object(Object... namesAndValues) {
        return new Amf0Object(entries(namesAndValues));
    }

    static Amf0EcmaArray ecmaArray(Object... namesAndValues) {
        return new Amf0EcmaArray(entries(namesAndValues));
    }

    private static Map<String, Object> entries(Object... namesAndValues) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            entries.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return entries;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
