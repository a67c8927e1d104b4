package io.streamrepeater.app;

import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.cluster.ClusterNode;
import io.streamrepeater.cluster.NodeState;
import io.streamrepeater.cluster.NodeStatus;
import io.streamrepeater.status.ChannelEventType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does when another node comes or goes, and when its own drain starts and ends (cluster mode): the log
 * line, the event in the concerned channels' streams (SSE, webhooks), and at a drain's start the request to the
 * encoders publishing here to move to another node.
 */
final class NodeEvents implements DrainHandover.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);

    private final String self;
    private final Supplier<Map<String, LiveChannel>> channels;
    private final Supplier<List<NodeStatus>> nodes;
    private final ClusterCoordinator.EncoderMover encoders;

    NodeEvents(
            String self,
            Supplier<Map<String, LiveChannel>> channels,
            Supplier<List<NodeStatus>> nodes,
            ClusterCoordinator.EncoderMover encoders) {
        this.self = self;
        this.channels = channels;
        this.nodes = nodes;
        this.encoders = encoders;
    }

    void up(NodeStatus node) {
        LOG.info(
                "event=node-up node={} address={} state={}",
                node.name(),
                node.node().address(),
                node.state());
        record(concerned(node.name()), ChannelEventType.NODE_UP, node.name(), "seen by " + self);
    }

    void down(NodeStatus node) {
        LOG.warn("event=node-down node={} lastHeartbeatAgeMs={}", node.name(), node.lastHeartbeatAgeMs());
        record(
                concerned(node.name()),
                ChannelEventType.NODE_DOWN,
                node.name(),
                "no heartbeat for " + node.lastHeartbeatAgeMs() + " ms, seen by " + self);
    }

    @Override
    public void started(Collection<String> owned) {
        record(owned, ChannelEventType.DRAIN_STARTED, self, owned.size() + " channels to hand over");
        askEncodersToMove();
    }

    @Override
    public void finished(Collection<String> handedOver) {
        record(handedOver, ChannelEventType.DRAIN_FINISHED, self, "closed here, lease released");
    }

    /**
     * The channels whose stream a node's coming or going joins: every channel running here. A node's death concerns
     * every channel of the cluster (it may have relayed it, or carried one of its encoders), and which channels it
     * relayed is not reliably known here once another node has taken them; each node that sees it records it, and the
     * reason says which.
     */
    private Set<String> concerned(String node) {
        return channels.get().keySet();
    }

    /** Adds a cluster event to the event stream (SSE, webhooks) of each of these channels that runs here. */
    private void record(Collection<String> names, ChannelEventType type, String node, String reason) {
        Map<String, LiveChannel> running = channels.get();
        for (String name : names) {
            LiveChannel live = running.get(name);
            if (live != null) {
                live.recordNodeEvent(type, node, reason);
            }
        }
    }

    /**
     * Drain: asks the encoders publishing here that understand Enhanced RTMP's reconnect request to publish to
     * another node that is up (the first by name); the others stay until they leave.
     */
    private void askEncodersToMove() {
        ClusterNode target = nodes.get().stream()
                .filter(n -> !n.name().equals(self) && n.state() == NodeState.UP)
                .map(NodeStatus::node)
                .filter(n -> n.rtmpPort() > 0)
                .min(Comparator.comparing(ClusterNode::name))
                .orElse(null);
        if (target == null) {
            LOG.warn("event=drain-encoders-stay node={} reason=\"no other node is up\"", self);
            return;
        }
        int asked = encoders.askToMove(
                target.address(), target.rtmpPort(), "node " + self + " is draining: publish to node " + target.name());
        LOG.info("event=drain-encoders-asked node={} to={} asked={}", self, target.name(), asked);
    }
}
