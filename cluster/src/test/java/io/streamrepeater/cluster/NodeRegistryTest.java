package io.streamrepeater.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes' registries on a real PostgreSQL with a one-second lease. */
class NodeRegistryTest {
    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final long LEASE_MS = 1000;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final ClusterNode A = new ClusterNode("a", "127.0.0.11", 1937, 1935, "0.1.0");
    private static final ClusterNode B = new ClusterNode("b", "127.0.0.12", 1937, 1935, "0.1.0");

    private PostgresClusterStore storeA;
    private PostgresClusterStore storeB;

    @BeforeEach
    void open() {
        String url = POSTGRES.newDatabaseUrl();
        storeA = PostgresClusterStore.open(url, Duration.ofMillis(LEASE_MS / 4));
        storeB = PostgresClusterStore.open(url, Duration.ofMillis(LEASE_MS / 4));
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    record Transition(String node, NodeState state, long atNanos) {}

    static final class RecordingNodeListener implements NodeListener {
        final List<Transition> transitions = new CopyOnWriteArrayList<>();

        @Override
        public void up(NodeStatus node) {
            transitions.add(new Transition(node.name(), node.state(), System.nanoTime()));
        }

        @Override
        public void down(NodeStatus node) {
            transitions.add(new Transition(node.name(), node.state(), System.nanoTime()));
        }

        Optional<Transition> last(String node) {
            return transitions.stream()
                    .filter(transition -> transition.node().equals(node))
                    .reduce((first, second) -> second);
        }
    }

    @Test
    void aNodeThatStopsHeartbeatingIsDownAfterTheLeaseAndUpWhenItResumes() {
        RecordingNodeListener heardByA = new RecordingNodeListener();
        try (NodeRegistry a = new NodeRegistry(storeA, A, LEASE_MS, heardByA)) {
            a.start();
            NodeRegistry b = new NodeRegistry(storeB, B, LEASE_MS, quiet());
            b.start();
            await().atMost(BOUND)
                    .until(() -> heardByA.last("b").map(Transition::state), Optional.of(NodeState.UP)::equals);
            assertThat(heardByA.last("a")).map(Transition::state).hasValue(NodeState.UP);

            long stoppedAt = System.nanoTime();
            b.close();

            Transition down = await().atMost(BOUND)
                    .until(() -> heardByA.last("b"), t -> t.orElseThrow().state() == NodeState.DOWN)
                    .orElseThrow();
            assertThat(TimeUnit.NANOSECONDS.toMillis(down.atNanos() - stoppedAt))
                    .as("down no sooner than a lease after b's last heartbeat (at most one period before it stopped)")
                    .isGreaterThanOrEqualTo(LEASE_MS - b.heartbeatPeriodMs() - 50);
            assertThat(a.nodes())
                    .filteredOn(node -> node.name().equals("b"))
                    .singleElement()
                    .satisfies(node -> {
                        assertThat(node.state()).isEqualTo(NodeState.DOWN);
                        assertThat(node.lastHeartbeatAgeMs()).isGreaterThan(LEASE_MS);
                    });
            assertThat(heardByA.last("a")).map(Transition::state).hasValue(NodeState.UP);

            try (NodeRegistry resumed = new NodeRegistry(storeB, B, LEASE_MS, quiet())) {
                resumed.start();
                await().atMost(BOUND)
                        .until(() -> heardByA.last("b"), t -> t.orElseThrow().state() == NodeState.UP);
            }
            assertThat(heardByA.transitions)
                    .filteredOn(t -> t.node().equals("b"))
                    .extracting(Transition::state)
                    .containsExactly(NodeState.UP, NodeState.DOWN, NodeState.UP);
        }
    }

    @Test
    void aDrainingNodeIsShownDrainingWithoutGoingDown() {
        RecordingNodeListener heardByA = new RecordingNodeListener();
        try (NodeRegistry a = new NodeRegistry(storeA, A, LEASE_MS, heardByA);
                NodeRegistry b = new NodeRegistry(storeB, B, LEASE_MS, quiet())) {
            a.start();
            b.start();
            await().atMost(BOUND).until(() -> heardByA.last("b").isPresent());

            assertThat(storeA.setDraining("b", true)).isTrue();

            await().atMost(BOUND)
                    .until(() -> a.nodes().stream()
                            .anyMatch(node -> node.name().equals("b") && node.state() == NodeState.DRAINING));
            assertThat(a.nodes()).extracting(NodeStatus::name).containsExactly("a", "b");
            assertThat(heardByA.transitions).extracting(Transition::state).containsOnly(NodeState.UP);
        }
    }

    private static NodeListener quiet() {
        return new NodeListener() {
            @Override
            public void up(NodeStatus node) {}

            @Override
            public void down(NodeStatus node) {}
        };
    }
}
