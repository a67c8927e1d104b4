package io.streamrepeater.rtmp.session;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.message.Acknowledgement;
import io.streamrepeater.rtmp.message.CommandMessage;
import io.streamrepeater.rtmp.message.MessageCodec;
import io.streamrepeater.rtmp.message.RtmpMessage;
import io.streamrepeater.rtmp.message.SetChunkSize;
import io.streamrepeater.rtmp.message.UserControlMessage;
import io.streamrepeater.rtmp.message.WindowAcknowledgementSize;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of a publish to a destination: after the handshake it sends connect, releaseStream,
 * FCPublish, createStream and publish, as encoders do (YouTube and Twitch expect this order), and
 * reports {@link PublishListener#live} once the destination answers {@code NetStream.Publish.Start}.
 * Media is written by the owner straight to the channel as pre-encoded chunks.
 */
public final class PublishClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PublishClientSession.class);
    private static final double TXN_CONNECT = 1;
    private static final double TXN_RELEASE = 2;
    private static final double TXN_FCPUBLISH = 3;
    private static final double TXN_CREATE_STREAM = 4;
    private static final double TXN_PUBLISH = 5;
    private static final double TXN_FCUNPUBLISH = 6;
    /** The spec gives deleteStream transaction id 0: no answer is expected. */
    private static final double TXN_DELETE_STREAM = 0;

    private final RtmpUrl url;
    private final int chunkSize;
    private final PublishListener listener;
    private final long ackWindowBytes;
    /** Enhanced RTMP video codecs announced in {@code connect}; empty: a plain RTMP connect. */
    private final List<String> fourCcList;

    private ChannelHandlerContext ctx;
    private int streamId = -1;
    private boolean live;
    private boolean finished;

    /**
     * @param chunkSize the chunk size we announce and use for everything we send
     */
    public PublishClientSession(RtmpUrl url, int chunkSize, PublishListener listener) {
        this(url, chunkSize, 0, listener);
    }

    /**
     * @param chunkSize the chunk size we announce and use for everything we send
     * @param ackWindowBytes the acknowledgement window we announce (Window Acknowledgement Size), so the
     *     destination acknowledges every that many bytes and a stalled peer can be told from a quiet one;
     *     0 announces none
     */
    public PublishClientSession(RtmpUrl url, int chunkSize, long ackWindowBytes, PublishListener listener) {
        this(url, chunkSize, ackWindowBytes, listener, List.of());
    }

    /**
     * As above, announcing Enhanced RTMP codecs in {@code connect}: {@code fourCcList} (Enhanced RTMP v1) and
     * {@code videoFourCcInfoMap} with each codec marked can-forward (v2), so a server that accepts HEVC, AV1 or VP9
     * only from a publisher that says it sends them takes the stream.
     *
     * @param fourCcList the video FourCCs to announce ({@code hvc1}, {@code av01}, {@code vp09}); empty: none
     */
    public PublishClientSession(
            RtmpUrl url, int chunkSize, long ackWindowBytes, PublishListener listener, List<String> fourCcList) {
        this.fourCcList = List.copyOf(fourCcList);
        if (ackWindowBytes < 0 || ackWindowBytes > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("acknowledgement window " + ackWindowBytes + " is outside 0..2^32-1");
        }
        this.url = url;
        this.chunkSize = chunkSize;
        this.ackWindowBytes = ackWindowBytes;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted) {
            send(new SetChunkSize(chunkSize), 0);
            if (ackWindowBytes > 0) {
                send(new WindowAcknowledgementSize(ackWindowBytes), 0);
            }
            Amf0Object props = new Amf0Object();
            props.put("app", url.app());
            props.put("type", "nonprivate");
            props.put("flashVer", "FMLE/3.0 (compatible; StreamRepeater)");
            props.put("tcUrl", url.tcUrl());
            EnhancedCodecs.put(props, fourCcList);
            send(CommandMessage.of("connect", TXN_CONNECT, props), 0);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage raw)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            RtmpMessage typed = MessageCodec.decode(raw);
            if (typed instanceof CommandMessage cmd) {
                command(cmd);
            } else if (typed instanceof UserControlMessage.UserControlPingRequest ping) {
                send(new UserControlMessage.UserControlPingResponse(ping.timestamp()), 0);
            } else if (typed instanceof Acknowledgement ack) {
                listener.acknowledged(ack.sequenceNumber());
            } else if (typed instanceof WindowAcknowledgementSize) {
                // The chunk decoder acknowledges by itself; nothing else to do.
                return;
            }
        } finally {
            raw.release();
        }
    }

    /**
     * Ends the publish the way an encoder does before it hangs up: {@code FCUnpublish} with the stream name,
     * then {@code deleteStream} with the stream id, both flushed behind whatever media is already queued, so the
     * destination ends the stream at once (nginx-rtmp: {@code publish_done}) instead of waiting for the socket.
     * Call on the connection's event loop; the caller closes the connection when the returned future completes.
     * A later answer is no longer reported as {@link PublishListener#live} or {@link PublishListener#rejected}.
     *
     * @return completes when both commands are written; at once when no stream was created yet
     */
    public ChannelFuture unpublish() {
        finished = true;
        if (streamId < 0) {
            return ctx.newSucceededFuture();
        }
        ctx.write(CommandMessage.of("FCUnpublish", TXN_FCUNPUBLISH, null, url.streamName())
                .toRaw(ctx.alloc(), 0));
        return ctx.writeAndFlush(CommandMessage.of("deleteStream", TXN_DELETE_STREAM, null, (double) streamId)
                .toRaw(ctx.alloc(), 0));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.failed(cause);
        ctx.close();
    }

    private void command(CommandMessage cmd) {
        switch (cmd.name()) {
            case "_result" -> onResult(cmd);
            case "_error" -> {
                // Some servers answer releaseStream/FCPublish with _error; only the steps that matter fail.
                if (cmd.transactionId() != TXN_RELEASE && cmd.transactionId() != TXN_FCPUBLISH) {
                    fail(statusOf(cmd, "NetConnection.Connect.Rejected"));
                }
            }
            case "onStatus" -> onStatus(cmd);
            default -> {
                // onBWDone, onFCPublish and similar need no answer.
            }
        }
    }

    private void onResult(CommandMessage cmd) {
        double txn = cmd.transactionId();
        if (txn == TXN_CONNECT) {
            if (!fourCcList.isEmpty()) {
                LOG.info(
                        "event=enhanced-rtmp-connect destination={} announced={} serverFourCcList={}",
                        url.redacted(),
                        String.join(",", fourCcList),
                        String.join(",", EnhancedCodecs.read(cmd.commandObjectMap())));
            }
            send(CommandMessage.of("releaseStream", TXN_RELEASE, null, url.streamName()), 0);
            send(CommandMessage.of("FCPublish", TXN_FCPUBLISH, null, url.streamName()), 0);
            send(CommandMessage.of("createStream", TXN_CREATE_STREAM, null), 0);
        } else if (txn == TXN_CREATE_STREAM) {
            streamId = cmd.argument(0) instanceof Number n ? n.intValue() : 1;
            send(CommandMessage.of("publish", TXN_PUBLISH, null, url.streamName(), "live"), streamId);
        }
    }

    private void onStatus(CommandMessage cmd) {
        String[] status = statusOf(cmd, "");
        String code = status[0];
        if ("NetStream.Publish.Start".equals(code) && !live && !finished) {
            live = true;
            listener.live(ctx.channel(), streamId);
        } else if ("error".equals(levelOf(cmd))
                || code.endsWith(".BadName")
                || code.endsWith(".Failed")
                || code.endsWith(".Rejected")) {
            fail(status);
        }
    }

    private void fail(String[] status) {
        if (!finished) {
            finished = true;
            listener.rejected(status[0], status[1]);
        }
        ctx.close();
    }

    private static String levelOf(CommandMessage cmd) {
        return cmd.argument(0) instanceof Map<?, ?> m && m.get("level") instanceof String s ? s : "";
    }

    private static String[] statusOf(CommandMessage cmd, String fallbackCode) {
        Object info = cmd.argument(0);
        if (info instanceof Map<?, ?> m) {
            String code = m.get("code") instanceof String s ? s : fallbackCode;
            String description = m.get("description") instanceof String s ? s : "";
            return new String[] {code, description};
        }
        return new String[] {fallbackCode, info == null ? "" : String.valueOf(info)};
    }

    private void send(RtmpMessage msg, int messageStreamId) {
        ctx.writeAndFlush(msg.toRaw(ctx.alloc(), messageStreamId));
    }
}
