package io.streamrepeater.app;

import io.streamrepeater.channel.InputSession;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.rtmp.session.Publisher;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Maps input stream keys to the channel input they publish to; the ingest side's {@link PublishGate}. */
final class KeyDirectory implements PublishGate {
    private record Target(LiveChannel channel, String input) {
    }

    private final Map<String, Target> byKey = new ConcurrentHashMap<>();

    void register(String key, LiveChannel channel, String input) {
        byKey.put(key, new Target(channel, input));
    }

    @Override
    public PublishDecision publish(String streamKey, Publisher publisher) {
        Target t = byKey.get(streamKey);
        if (t == null) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key");
        }
        String label = t.channel().name() + "/" + t.input();
        InputSession session = t.channel().openInput(t.input(), String.valueOf(publisher.remoteAddress()),
                () -> publisher.disconnect("taken over by a new publisher on " + label));
        if (session == null) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "input " + label + " is already live");
        }
        return new PublishDecision.Accepted(new PublishSink() {
            @Override
            public void packet(MediaPacket packet) {
                session.packet(packet);
            }

            @Override
            public void end(String reason) {
                session.close(reason);
            }
        }, label);
    }
}
