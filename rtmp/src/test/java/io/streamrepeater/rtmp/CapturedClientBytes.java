package io.streamrepeater.rtmp;

import io.streamrepeater.testkit.Hex;

/**
 * Bytes captured from real publishing clients on 127.0.0.1 (DESIGN.md §6.1), written as annotated hex: hex pairs,
 * {@code "quoted text"} for its ASCII bytes, {@code #} comments to the end of the line. Captured once with
 * {@code app/src/test/java/io/streamrepeater/app/ClientOpeningCapture} (our own server stack answering, so the
 * clients went on to publish); the tables of the handshake, chunk and message tests are built from them.
 *
 * <ul>
 *   <li>ffmpeg 5.1.9 (libavformat 59.27.100, Debian 12) publishing an FLV with {@code -c copy -f flv
 *       rtmp://127.0.0.1:33133/live/capture-key};</li>
 *   <li>GStreamer 1.22.0 {@code rtmp2sink location=rtmp://127.0.0.1:37811/live/capture-key} (the pipeline of
 *       testkit's GstPublisher).</li>
 * </ul>
 * Only the client's side is kept, and only the named messages: chunk headers are in the chunk golden table, these
 * are the message bodies.
 */
public final class CapturedClientBytes {
    private CapturedClientBytes() {}

    /** ffmpeg's C0 and digest-form C1 (1 + 1536 bytes). */
    public static final byte[] FFMPEG_C0_C1 = Hex.bytes("""
            03                              # C0: RTMP version 3
            00 00 00 00                     # C1 bytes 0..3: time 0 (ffmpeg sends no uptime)
            09 00 7c 02                     # C1 bytes 4..7: client version 9.0.124.2: the digest form
            f7 78 55 1e                     # C1 bytes 8..11: f7+78+55+1e = 482; 482 % 728 + 12 = 494, where the digest sits (scheme 0)
            # C1 bytes 12..493: ffmpeg's pseudo-random filler (the same bytes on every run: the capture was repeated)
            ceab8e1e362f07c5868a70b266d40220e5086118a22e3697d5fc2b6329c22ee7
            c7c9b0b5b345dfa8398fea3bc879208a1068425aa1174cb57258cfebe24da42e
            c4ff9da19c7b406f18c95bfdd04ee48b6f833214a47b8bf68eb05254e25ae9a9
            a8b496c5496f6e9cd7c68cb6bcc84169e67f3e372ffe186da8513862c5afdeb5
            a1218a860baccdd869b253dbab8a0efb59a48c442099875e55b74fd07a1b69af
            303e099873cb77e2d9e2c4741eb1f506a7f0b2962af91f5051c890a320994f4c
            8b36a01fa9c0f15f4b7cf7b6c3817da60918611d3b02ff7cc94038937537d338
            2e416bd57577834df9caf748352150ce92d0dbb40e871fc364e18b7e3569e398
            76c1ae0cb79ff6d7ab32f9f011869c8da4191ef46d3c1bc6b72d83812f2243d1
            752a412632d66a2075f5d302f45cdf2b98b802b79805dc4837d84eded1cc42cb
            a7eec3137bf86dd0b2d7f624d521a3ff655bcf0df4101341d230e94651628e45
            a7abf8183101ce981e5e86a6faec5c79aa7ec7181ea459ed966e0c932a6f9e4b
            f554ab7b1c905cde054ed40d2fb89bbfc65752e58cfde4f2a04dc3ad1e5ef4fc
            64d57b071c14146a451f6a043156d2880f5957d78dfd3ff2b880f624ac70f270
            94f37734eaf1924f66ac3d648ae232930544a4420b65eed4696f7f50fe05fc94
            8516
            # C1 bytes 494..525: HMAC-SHA256 of the other 1504 bytes, key "Genuine Adobe Flash Player 001"
            650bfb9b65f953d848e3456965d0d76b627a84e35e9ddabd8b43f0fadaee458c
            # C1 bytes 526..1535: filler
            df59ebd773922e0ae507d5e64092e90ec67ed8439e8f221c753a9f9216f1cb85
            b5107bc7cc7c4fb2c3eed1afc709b192f50de69c1ffca5650efb523b5fab5997
            cac4b7ef5af2bf5973e6293bae1fc1da499be5515077de4ddb3f7fbcd741711c
            62b7d803b8d054cf578182714d1c445bd692ba1b839a09e7266fc85daa8fad43
            3dabbd206cde1ea571770c6bfa7956c266ee8435eb01caa6f583c0d83c33eefc
            f3f97db917bdb299f8a89fb8860ab1cd644c1e82cce1323a9eb79d25f5dc570b
            70b40bb20061743353d0536ecdabd82f2277756228cb54fe6932c4c9bd130d2b
            fc700bf5d85da6946e96f82e0afd8e9c20cfeabf9a6a189bb17bbef539d1d9e7
            3ee966fcb5d6bdbf98444de865be1605e34087b34cdf04e3aff55bd4137c522d
            2e3c7bf2634db326b22a474db7f8a0952ab3510de555396c18a378a8390b73bf
            f7772fb2760fa5786a3b0459c45a1d1b0dff4cbbb65da0ed34f32116c3c2cc2b
            95825111bcfbb246c1505aa00c970d06d76cc950ce368b220db20487cba02bb1
            fc54b36567b42913d6b885062cd7795601d31a4a8e6d56467fa5c52162676fd5
            26122513c3e47f2e6d9d6a19c4f8795431a94ced039221d27ac68a7a770e9305
            252271459b71d05505c4977b70e96851208bacdcdf7e682b3848840880f1fec2
            a32fb1406862bc83cad89adf729f3ba6ffd3fe808e8403e7c6a0f6dcda321189
            8f6f16505b078cc78b80db600ded2f200f25ff5dcb31d32cbe2056b8bdc31091
            631abbd2ac28d61fe32480ec5035bbf35f173393f0d59a21d2300b2db4b59eaa
            63ffe0f93d65dc028516905f22a9c7dff387c4eb78c6300e7ebbb2a6663cfbe5
            a9977caf5764ba3f0aba57db4e6051e0aec6e05b1bdaa649a97875edbc40bcc4
            214bb7fef72730d4368acbd3e10ab4c7642a1c53f93ca26db9c766555be26fdf
            f0e2a721425b95762b0b776fd3e3eb17313d53129c9f34003c99a5196a8c6aac
            b6d64b51dd98b27c5b59a70bd941a1ba0300fb744cfc499d997e6d93392d28a7
            67d116dfbc2cb9eb40540d11eb304ad9322386fdc597d55d3d1c67bc54df3547
            9afb19ea2cd204dd331efb49c1e172f6bb89fbf58207dcae6c12f8a7598bef1e
            872c0c35f22b4c29df10f9bb1add3aeb887ab5fb38c036b88346f761c42f295d
            fe0b437dfb4f30a71276ab7d409ce424963f9ebb4f1f47e52b18786f279b5a87
            226f66981dd6d0ad11f49af31055ff69710fda3457c4b7852db2e3936d0778bf
            879f1734ad3a24ffb1ae9584760b9cb0452a53ba0962ffe2f605af52830bd211
            a5488894cc0b052255048711cd198510a9e943bf8b839198455fbd41073005d3
            03990b88d9b63656d43cfec8ed83748f4b0f0fc5120216794b22a054e5bc58ab
            d8c41096070884393453ce509694afbeabe0
            """);

    /** Where ffmpeg's C1 carries its digest (scheme 0: offset from bytes 8..11). */
    public static final int FFMPEG_C1_DIGEST_OFFSET = 494;

    /** GStreamer rtmp2sink's C0 and simple-form C1 (1 + 1536 bytes). */
    public static final byte[] GSTREAMER_C0_C1 = Hex.bytes("""
            03                              # C0: RTMP version 3
            00 2f bf c4                     # C1 bytes 0..3: time, ms
            00 00 00 00                     # C1 bytes 4..7: zero: the simple form, no digest
            # C1 bytes 8..1535: random
            0afb3a5fd138bd8bc75f99ea3f63dfe689e53f0a0be635947ca9af818ba4327e
            b23de4dca41ae97e2325d93b17fd2fe2d2794016996da5336d4346afedb3c803
            824cf4327c56bd41a59f9c9964dff6132323dbd4d4dbc9197afa5fd94d03d730
            9d7cd0b771378950e4dd170743bff442f33449cc04be95edd3fc0facfaee1377
            8100e1fb6b6fedd0067bf4fd62d4f40a243a20410b0cb940f7e80d293f28a2b4
            710826bacd9c4345dcf4af7f13eff875eeec82c69cbe4fac9aed9fb0c4b3502e
            4fc323b058f36b1018d8c9835a9ad759c3173d4afbaf8f516868ff6f17ac3371
            7b5014d58fa27c8d18dd5734708674657146fbc0160493e95cff7bd46296f355
            c2cdc80b6bdf74b7fd5b11a719ffc3560d5b1d022bce93d4bf29b8fc17f059c4
            2a86508f76d469b472b34c34e31bc39310b6a0573b8ec68937245107b4fc3c9d
            296d2bb2377ab0e77ab49608f88f95f910fcabd6ebc7d621e85942d65dfdcd04
            4475d2bd343de7e9a0f1416a022ea15574d9ddd8095134256949f249e15acbcf
            646c3894d92989f1e4f5bdd6c7b5b6431ed00e971c73aebcdba9220c34396240
            755bd9eb8f66be416f218ce2a90ade9b8306171d8493ef437a981e317d2a7a53
            6a60d27810bd59cfc3f4e1768014fdd7dc732c8523338f4b8024bc9bcc3b1588
            7fd4db543bd40963579953e28ac589e3c03969f402b6bb369ea17bd55545f348
            9fdc1f1ffbdd03dbd3f13431e80b418242bf29b9d42bedcd10c4b0f5304b0516
            07e46ff9d5fc3b6fa46a40d07928425dac3def680bb9780e354de30352cd0889
            ae4aff9d6c7836fc9546fc33e745593ed27d08791f37666c6d419ed04307867f
            184a3ff489f59c4dd98109a5a8f9fb93c93f0e97d746811261182936659302d6
            ce4f80efb4c572b5c886b03ac12280b59103024d2101b3a12004ad4034903689
            d26e37d162286b51d6b3d8508b6200733b57800b98a3e66b74a90e8f4e5bbc44
            7ccf625b2a8ab646590aaf38e68074e6ff382bbc48a1e55c4e583cc4ac48398a
            26f32b9ce0f45f729897b96839088302eafebcbce78e8aa689d85167515a5162
            ec4c6a312aec3ba1ae38b76ed2fe8e8c2ae5e78540d51cbcd83aaafc56e51fb5
            1132a7a7f1a2a7ff1c6e419e4b8c07c82daf9df4c533d31c1655e6da88276f83
            8ab5f934bda07174a157989d68c7331f8531708be8cd72d440649ed6424f269f
            c359e8787e79addd0bad3955a458d0dcd30e4e17022a1380ea296349a14de96a
            26c2c12202ec3e0498da0a3571d5393e633eba607ea9a5a291c5c938a35d6ead
            0eef382ac0e777d63e7ae99cb3ab9a64d59316bb5715a693ae53b63a5e6075fe
            24caf72094412bc4dfbdeaeec6a280e28d77e552eb2ca8eb82b5bfbc6a2570b0
            2b54124b2f316a5c189f79661010366e5db75ad922267839c42471bdd1f95d94
            7a42129280e87e3bc3616109d853c828cf070c134ee1a0741e4a44b48f55941b
            b0615270e8cb96b8d9828162a23ff5943c5b08f23e77129dc6b9613fdd92f32d
            c303616ea8aebf368744365f3a5bc47789305694165658107137203f067f9202
            7be56f8558614ef92b56f162d77f0ca07c3027f49fadb1c27266e383bf9cf0fa
            7a24cb6220dd6b3a6dac69c2acacdd95068c3298f30a694f6e291abac66dcf0f
            36a8f68d782da8fa5d6465e2485479fa3854d50ae6c6edf963b542a16f7a501d
            381eb4aca426eae917bd15408cb7d6f373477060e38fdcd39c710e5484c640a7
            e5549b861e955d035f8fb68501f9b59dc2f96eac8081eb137b4e080add0d5d68
            f5dcc8bcbd76e4ff3595d00a094b3e7fdeee01d549c20dfafa11a80b595d0114
            d77c419b07f092810e092d6dca92523f240ae233a31e9fc3cb54c734028f17cd
            229821b63d50eaace99c6b3d83cc9f3978f4f03f08a886393b8d9ab471884ddc
            bd81a61cc55f46e5d5711ac364ab3c3dae4f243cc25e1451dabc836c7edfb8d6
            0c7e0bf3dadb1843c16e8452bf366f4d923476614a62ec091c164ad709e827c9
            c905529c346360e9585ed8973b12f2dd689fb18d691366d92e63d02e57b78658
            3503d7e7d7e1597033e7354b474e383eb689b5062f72bf062bbeae764b345f56
            1cf10f1498c4d6a69b1d0030cfea5eb0953b99c4e5e54ada
            """);

    /** ffmpeg's {@code connect} command body (AMF0, 140 bytes), the first message after the handshake. */
    public static final byte[] FFMPEG_CONNECT = Hex.bytes("""
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
            """);

    /** ffmpeg's {@code releaseStream} body (40 bytes), sent once connect was answered. */
    public static final byte[] FFMPEG_RELEASE_STREAM = Hex.bytes("""
            02 00 0d "releaseStream"                    # string, 13 bytes: command name
            00 40 00 00 00 00 00 00 00                  # number 2.0: transaction id
            05                                          # null: command object
            02 00 0b "capture-key"                      # string, 11 bytes: stream key
            """);

    /** ffmpeg's {@code FCPublish} body (36 bytes). */
    public static final byte[] FFMPEG_FC_PUBLISH = Hex.bytes("""
            02 00 09 "FCPublish"                        # string, 9 bytes: command name
            00 40 08 00 00 00 00 00 00                  # number 3.0: transaction id
            05                                          # null: command object
            02 00 0b "capture-key"                      # string, 11 bytes: stream key
            """);

    /** ffmpeg's {@code createStream} body (25 bytes). */
    public static final byte[] FFMPEG_CREATE_STREAM = Hex.bytes("""
            02 00 0c "createStream"                     # string, 12 bytes: command name
            00 40 10 00 00 00 00 00 00                  # number 4.0: transaction id
            05                                          # null: command object
            """);

    /** ffmpeg's {@code publish} body (41 bytes), on message stream 1 that createStream returned. */
    public static final byte[] FFMPEG_PUBLISH = Hex.bytes("""
            02 00 07 "publish"                          # string, 7 bytes: command name
            00 40 14 00 00 00 00 00 00                  # number 5.0: transaction id
            05                                          # null: command object
            02 00 0b "capture-key"                      # string, 11 bytes: stream key
            02 00 04 "live"                             # string, 4 bytes: publishing type
            """);

    /** ffmpeg's {@code @setDataFrame onMetaData} data message body (AMF0 data, type 18, 309 bytes). */
    public static final byte[] FFMPEG_SET_DATA_FRAME = Hex.bytes("""
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
            """);

    /** GStreamer rtmp2sink's {@code connect} command body (AMF0, 118 bytes). */
    public static final byte[] GSTREAMER_CONNECT = Hex.bytes("""
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
            """);
}
