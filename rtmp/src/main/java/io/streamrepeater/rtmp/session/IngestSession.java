package io.streamrepeater.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.streamrepeater.amf0.Amf0;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.message.CommandMessage;
import io.streamrepeater.rtmp.message.MessageCodec;
import io.streamrepeater.rtmp.message.MessageType;
import io.streamrepeater.rtmp.message.RtmpMessage;
import io.streamrepeater.rtmp.message.SetChunkSize;
import io.streamrepeater.rtmp.message.SetPeerBandwidth;
import io.streamrepeater.rtmp.message.UserControlMessage;
import io.streamrepeater.rtmp.message.WindowAcknowledgementSize;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of one encoder connection: answers connect, releaseStream, FCPublish, createStream
 * and publish, then hands media to the {@link PublishSink} the {@link PublishGate} chose, and tells the pipeline
 * with a {@link PublishStarted} event.
 * Sits after the chunk decoder and encoder; receives {@link RawMessage}s and releases them.
 *
 * <p>Why it is longer than ~400 lines: it is one state machine (connected, stream created, publishing, ended) whose
 * transitions are the commands above; split by command, each part would need the whole state, and the order of the
 * checks (key masked before anything is logged, refusals answered in the peer's transaction) would no longer read in
 * one place. Its codecs live below it, in {@code rtmp.message} and {@code rtmp.chunk}.
 */
public final class IngestSession extends ChannelInboundHandlerAdapter implements Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(IngestSession.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Commands some encoders send that need no action beyond a polite answer. */
    private static final Set<String> BENIGN_COMMANDS = Set.of(
            "_checkbw",
            "getStreamLength",
            "setPeerInfo",
            "FCSubscribe",
            "FCUnsubscribe",
            "_result",
            "_error",
            "onBWDone",
            "onFCPublish");

    private static final byte[] SET_DATA_FRAME = "@setDataFrame".getBytes(StandardCharsets.US_ASCII);
    static final int STREAM_ID = 1;
    static final int OUR_CHUNK_SIZE = 4096;
    static final long WINDOW_SIZE = 5_000_000;

    private final PublishGate gate;
    private final String id = "ingest-" + IDS.incrementAndGet();
    private final TimestampUnwrapper unwrapper = new TimestampUnwrapper();
    private ChannelHandlerContext ctx;
    private PublishSink sink;
    private String label;
    /** The message stream the encoder publishes on, once accepted. */
    private int publishStreamId;

    private boolean connected;
    private long packets;
    /** The {@code app} of the encoder's connect (it says where to publish again after a reconnect request). */
    private volatile String app;
    /** The encoder announced Enhanced RTMP's reconnect capability ({@code capsEx} bit 0x01) in its connect. */
    private volatile boolean understandsReconnect;

    /** Enhanced RTMP v2 {@code capsEx} bit: the peer understands {@code NetConnection.Connect.ReconnectRequest}. */
    static final int CAPS_EX_RECONNECT = 0x01;
    /**
     * Enhanced RTMP v2 {@code capsEx} bit: the peer takes multitrack audio and video tags. The relay forwards them by
     * packet copy like any other tag, and reads the codec and keyframes of their first track.
     */
    static final int CAPS_EX_MULTITRACK = 0x02;

    public IngestSession(PublishGate gate) {
        this.gate = gate;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return ctx == null ? null : ctx.channel().remoteAddress();
    }

    @Override
    public String transport() {
        ChannelHandlerContext c = ctx;
        return c != null && c.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null ? "rtmps" : "rtmp";
    }

    @Override
    public void disconnect(String reason) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        c.executor().execute(() -> {
            if (c.channel().isOpen()) {
                LOG.info(
                        "event=ingest-disconnect session={} remote={} input={} reason=\"{}\"",
                        id,
                        remoteAddress(),
                        label,
                        reason);
                endPublish(reason);
                c.close();
            }
        });
    }

    /**
     * Sends {@code onStatus NetConnection.Connect.ReconnectRequest} (Enhanced RTMP v2: message stream 0, transaction
     * 0, no command object) with {@code tcUrl rtmp://host:port/APP}, when the encoder announced it understands it and
     * publishes over plain RTMP (the other node's RTMPS port is not known here).
     */
    @Override
    public boolean requestReconnect(String host, int port, String description) {
        ChannelHandlerContext c = ctx;
        String a = app;
        if (c == null || !understandsReconnect || a == null || !"rtmp".equals(transport())) {
            return false;
        }
        String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Amf0Object info = status("status", "NetConnection.Connect.ReconnectRequest", description);
        info.put("tcUrl", "rtmp://" + authority + "/" + a);
        c.executor().execute(() -> {
            if (c.channel().isOpen()) {
                LOG.info(
                        "event=reconnect-requested session={} remote={} input={} to=rtmp://{}/{}",
                        id,
                        remoteAddress(),
                        label,
                        authority,
                        appForLog(a));
                send(CommandMessage.of("onStatus", 0, null, info), 0);
            }
        });
        return true;
    }

    /**
     * Ends this connection because the server is stopping: a publishing encoder is first told
     * {@code NetStream.Unpublish.Success} on its stream (the status that ends a publish), so it knows the
     * end was deliberate; the connection is closed once that is flushed. Safe from any thread.
     *
     * @param description the status text the encoder gets, e.g. {@code "Server shutting down."}
     * @return completes when the connection is closed
     */
    public ChannelFuture endByServer(String description) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("ingest session " + id + " is not in a pipeline yet");
        }
        c.executor().execute(() -> {
            if (!c.channel().isOpen()) {
                return;
            }
            if (sink == null) {
                c.close();
                return;
            }
            LOG.info(
                    "event=ingest-unpublished-by-server session={} remote={} input={} reason=\"{}\"",
                    id,
                    remoteAddress(),
                    label,
                    description);
            endPublish("server: " + description);
            RawMessage raw = CommandMessage.of(
                            "onStatus", 0, null, status("status", "NetStream.Unpublish.Success", description))
                    .toRaw(c.alloc(), publishStreamId);
            c.writeAndFlush(raw).addListener(ChannelFutureListener.CLOSE);
        });
        return c.channel().closeFuture();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage raw)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (MessageType.isMedia(raw.typeId())) {
            media(raw);
            return;
        }
        try {
            RtmpMessage typed = MessageCodec.decode(raw);
            if (typed instanceof CommandMessage cmd) {
                command(cmd, raw.messageStreamId());
            } else if (typed instanceof UserControlMessage.UserControlPingRequest ping) {
                send(new UserControlMessage.UserControlPingResponse(ping.timestamp()), 0);
            }
        } finally {
            raw.release();
        }
    }

    private void media(RawMessage raw) {
        if (sink == null) {
            raw.release();
            return;
        }
        long ts = unwrapper.unwrap(raw.timestamp());
        ByteBuf payload = raw.payload();
        if (raw.typeId() == MessageType.DATA_AMF0 && startsWithAmfString(payload, "onMetaData")) {
            // Some encoders send onMetaData without @setDataFrame; destinations expect the latter.
            payload = prefixSetDataFrame(ctx.alloc(), payload.retain());
            raw.release();
        } else {
            payload = payload.retain();
            raw.release();
        }
        MediaPacket packet;
        try {
            packet = MediaPacket.fromRtmp(raw.typeId(), ts, payload, System.nanoTime());
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        packets++;
        sink.packet(packet);
    }

    private void command(CommandMessage cmd, int messageStreamId) {
        switch (cmd.name()) {
            case "connect" -> onConnect(cmd);
            case "releaseStream", "FCPublish" -> {
                if (cmd.transactionId() > 0) {
                    send(CommandMessage.of("_result", cmd.transactionId(), null, Amf0.UNDEFINED), 0);
                }
            }
            case "createStream" -> send(CommandMessage.of("_result", cmd.transactionId(), null, (double) STREAM_ID), 0);
            case "publish" -> onPublish(cmd, messageStreamId);
            case "FCUnpublish", "deleteStream", "closeStream" -> {
                LOG.info("event=unpublish session={} input={} command={}", id, label, cmd.name());
                endPublish(cmd.name());
            }
            default -> {
                if (BENIGN_COMMANDS.contains(cmd.name())) {
                    if (cmd.transactionId() > 0 && !cmd.name().startsWith("_")) {
                        send(CommandMessage.of("_result", cmd.transactionId(), null), 0);
                    }
                } else {
                    LOG.warn(
                            "event=ingest-close session={} remote={} reason=\"unknown command '{}'\"",
                            id,
                            remoteAddress(),
                            printable(cmd.name()));
                    ctx.close();
                }
            }
        }
    }

    private void onConnect(CommandMessage cmd) {
        Object app = cmd.commandObjectMap().get("app");
        List<String> enhanced = EnhancedCodecs.read(cmd.commandObjectMap());
        LOG.info(
                "event=connect session={} remote={} app={}{}",
                id,
                remoteAddress(),
                app instanceof String s ? appForLog(s) : "-",
                enhanced.isEmpty() ? "" : " fourCcList=" + String.join(",", enhanced));
        connected = true;
        this.app = app instanceof String s ? s : null;
        Object capsEx = cmd.commandObjectMap().get("capsEx");
        understandsReconnect =
                capsEx instanceof Number n && (n.intValue() & CAPS_EX_RECONNECT) != 0 && this.app != null;
        send(new WindowAcknowledgementSize(WINDOW_SIZE), 0);
        send(new SetPeerBandwidth(WINDOW_SIZE, SetPeerBandwidth.DYNAMIC), 0);
        send(new SetChunkSize(OUR_CHUNK_SIZE), 0);
        Amf0Object props = new Amf0Object();
        props.put("fmsVer", "FMS/3,5,7,7009");
        props.put("capabilities", 31.0);
        props.put("mode", 1.0);
        if (capsEx instanceof Number) {
            // what this server may ask of an Enhanced RTMP v2 peer, and what it takes from one
            props.put("capsEx", (double) (CAPS_EX_RECONNECT | CAPS_EX_MULTITRACK));
        }
        // Enhanced RTMP: the server answers with the codecs it takes of those announced. A relay forwards every codec
        // by packet copy, so it takes them all, each marked can-forward (it neither decodes nor encodes).
        EnhancedCodecs.put(props, enhanced);
        Amf0Object info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        send(CommandMessage.of("_result", cmd.transactionId(), props, info), 0);
    }

    private void onPublish(CommandMessage cmd, int messageStreamId) {
        String name = cmd.stringArgument(0);
        if (!connected || name == null || name.isEmpty()) {
            rejectAndClose(messageStreamId, "NetStream.Publish.BadName", "publish without a stream key");
            return;
        }
        if (sink != null) {
            LOG.warn(
                    "event=ingest-close session={} remote={} reason=\"second publish on one connection\"",
                    id,
                    remoteAddress());
            ctx.close();
            return;
        }
        int q = name.indexOf('?');
        String key = q >= 0 ? name.substring(0, q) : name;
        PublishDecision decision = gate.publish(key, this);
        if (decision instanceof PublishDecision.Accepted accepted) {
            sink = accepted.sink();
            label = accepted.label();
            publishStreamId = messageStreamId;
            LOG.info("event=publish-accepted session={} remote={} input={}", id, remoteAddress(), label);
            ctx.pipeline().fireUserEventTriggered(new PublishStarted(label));
            send(new UserControlMessage.UserControlStreamBegin(messageStreamId), 0);
            send(
                    CommandMessage.of(
                            "onStatus",
                            0,
                            null,
                            status("status", "NetStream.Publish.Start", "Publishing " + label + ".")),
                    messageStreamId);
            if (accepted.home() != null && accepted.home() != ctx.channel().eventLoop()) {
                moveTo(accepted.home());
            }
        } else if (decision instanceof PublishDecision.Rejected rejected) {
            // The key is a secret: the log names the address and reason, never the key.
            LOG.warn(
                    "event=publish-rejected session={} remote={} code={} reason=\"{}\" delayMs={}",
                    id,
                    remoteAddress(),
                    rejected.statusCode(),
                    rejected.description(),
                    rejected.delayMs());
            if (rejected.delayMs() > 0) {
                // Stop reading meanwhile: a key guesser gets nothing done on this connection until the answer.
                ctx.channel().config().setAutoRead(false);
                ctx.executor()
                        .schedule(
                                () -> rejectAndClose(messageStreamId, rejected.statusCode(), rejected.description()),
                                rejected.delayMs(),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                rejectAndClose(messageStreamId, rejected.statusCode(), rejected.description());
            }
        }
    }

    /**
     * Moves this connection to {@code home}, the loop its channel runs on: Netty deregisters it once the current read
     * is fully handled (messages already decoded are delivered first, from this thread, in order) and it is
     * registered with {@code home}, where reading resumes; bytes that arrive meanwhile wait in the socket.
     */
    private void moveTo(EventLoop home) {
        Channel ch = ctx.channel();
        ch.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                LOG.warn(
                        "event=ingest-move-failed session={} input={} reason=\"{}\"",
                        id,
                        label,
                        describe(deregistered.cause()));
                ch.close();
            } else if (ch.isOpen()) {
                home.register(ch).addListener(registered -> {
                    if (!registered.isSuccess()) {
                        LOG.warn(
                                "event=ingest-move-failed session={} input={} reason=\"{}\"",
                                id,
                                label,
                                describe(registered.cause()));
                        ch.close();
                    }
                });
            }
        });
    }

    private void rejectAndClose(int messageStreamId, String code, String description) {
        RawMessage raw = CommandMessage.of("onStatus", 0, null, status("error", code, description))
                .toRaw(ctx.alloc(), messageStreamId);
        ctx.writeAndFlush(raw).addListener(ChannelFutureListener.CLOSE);
    }

    private static Amf0Object status(String level, String code, String description) {
        Amf0Object info = new Amf0Object();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private void send(RtmpMessage msg, int messageStreamId) {
        ctx.writeAndFlush(msg.toRaw(ctx.alloc(), messageStreamId));
    }

    private void endPublish(String reason) {
        PublishSink s = sink;
        sink = null;
        if (s != null) {
            LOG.info("event=publish-ended session={} input={} packets={} reason=\"{}\"", id, label, packets, reason);
            s.end(reason);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endPublish("disconnect");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn(
                "event=ingest-close session={} remote={} input={} reason=\"{}\"",
                id,
                remoteAddress(),
                label == null ? "-" : label,
                describe(cause));
        endPublish("error: " + describe(cause));
        ctx.close();
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /**
     * The application name as far as it is safe to log: its first path segment only, because an encoder configured
     * with the whole ingest URL as its server ({@code rtmp://host/live/KEY}, key field empty) sends the key there,
     * and some put a token in a query ({@code live?token=...}).
     */
    static String appForLog(String app) {
        int cut = 0;
        while (cut < app.length() && app.charAt(cut) != '/' && app.charAt(cut) != '?') {
            cut++;
        }
        String first = app.substring(0, cut);
        // An encoder set up with the key as the application (rtmp://HOST/KEY, a common mistake in OBS's Server
        // field) sends the key here: only application names that cannot be a key are logged as they are.
        String shown = mayBeAKey(first) ? "****(" + first.length() + " chars)" : first;
        return printable(cut == app.length() ? shown : shown + app.charAt(cut) + "****");
    }

    /**
     * Whether an application name could be a stream key: keys are long (12 characters at least when chosen, 32 when
     * generated); application names are short words such as {@code live}, {@code live2} or {@code app}. Anything
     * longer than 8 characters is taken for a possible key.
     */
    static boolean mayBeAKey(String name) {
        return name.length() > 8;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static boolean startsWithAmfString(ByteBuf buf, String s) {
        int i = buf.readerIndex();
        if (buf.readableBytes() < 3 + s.length()
                || buf.getByte(i) != 0x02
                || buf.getUnsignedShort(i + 1) != s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (buf.getByte(i + 3 + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code "@setDataFrame"} + payload without copying the payload; takes ownership of payload. */
    private static ByteBuf prefixSetDataFrame(ByteBufAllocator alloc, ByteBuf payload) {
        ByteBuf head = alloc.buffer(3 + SET_DATA_FRAME.length);
        head.writeByte(0x02).writeShort(SET_DATA_FRAME.length).writeBytes(SET_DATA_FRAME);
        CompositeByteBuf c = alloc.compositeBuffer(2);
        c.addComponents(true, head, payload);
        return c;
    }
}
