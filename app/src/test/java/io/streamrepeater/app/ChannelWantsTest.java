package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ownership rule on a clock moved by hand (milliseconds, one lease = 3000). */
class ChannelWantsTest {
    private static final long LEASE_MS = 3_000;
    private final ChannelWants wants = new ChannelWants(LEASE_MS);

    private static InputStatus input(String name, int priority, InputState state) {
        return new InputStatus(name, priority, state, null, 0, null, null, -1, 0, 0, null, null);
    }

    private static Map<String, List<InputStatus>> show(InputState primary, InputState backup) {
        return Map.of("show", List.of(input("primary", 1, primary), input("backup", 2, backup)));
    }

    private Set<String> at(long ms, Map<String, List<InputStatus>> inputs, Set<String> held, boolean holdingOff) {
        return wants.wanted(inputs, held, Set.of(), holdingOff, ms * 1_000_000L);
    }

    @Test
    void theNodeWithTheFirstInputAsksAtOnce() {
        assertThat(at(0, show(InputState.ACTIVE, InputState.DOWN), Set.of(), false))
                .containsExactly("show");
        assertThat(at(0, show(InputState.DOWN, InputState.DOWN), Set.of(), false))
                .isEmpty();
    }

    @Test
    void aNodeWithOnlyALaterInputWaitsOneLeaseAfterItCameUp() {
        Map<String, List<InputStatus>> backupOnly = show(InputState.DOWN, InputState.STANDBY);
        assertThat(at(0, backupOnly, Set.of(), false)).isEmpty();
        assertThat(at(LEASE_MS - 1, backupOnly, Set.of(), false)).isEmpty();
        assertThat(at(LEASE_MS, backupOnly, Set.of(), false)).containsExactly("show");
        // the input left and came back: the wait starts again
        assertThat(at(LEASE_MS + 1, show(InputState.DOWN, InputState.DOWN), Set.of(), false))
                .isEmpty();
        assertThat(at(LEASE_MS + 2, backupOnly, Set.of(), false)).isEmpty();
    }

    @Test
    void aHolderKeepsTheChannelOneLeaseAfterItsLastInputLeft() {
        Set<String> held = Set.of("show");
        assertThat(at(0, show(InputState.ACTIVE, InputState.DOWN), held, false)).containsExactly("show");
        Map<String, List<InputStatus>> none = show(InputState.DOWN, InputState.DOWN);
        assertThat(at(LEASE_MS - 1, none, held, false)).containsExactly("show");
        assertThat(at(LEASE_MS, none, held, false)).isEmpty();
    }

    @Test
    void holdingOffForAPeerKeepsWhatIsHeldAndAsksForNothingNew() {
        Map<String, List<InputStatus>> two = Map.of(
                "show", List.of(input("primary", 1, InputState.ACTIVE)),
                "final", List.of(input("primary", 1, InputState.ACTIVE)));
        assertThat(at(0, two, Set.of("final"), true)).containsExactly("final");
        assertThat(at(1, two, Set.of("final"), false)).containsExactlyInAnyOrder("show", "final");
    }

    @Test
    void aThirdInputsNodeLetsTheSecondsNodeTakeAFreedChannelFirst() {
        Map<String, List<InputStatus>> third = Map.of(
                "show",
                List.of(
                        input("primary", 1, InputState.DOWN),
                        input("backup", 2, InputState.DOWN),
                        input("backup2", 3, InputState.STANDBY)));
        Set<String> none = Set.of();
        // held by another node as last read: a third input's node does not ask (the reading may be stale and the
        // store would grant an expired lease before the second input's node had its turn)
        assertThat(wants.wanted(third, none, Set.of("show"), false, 0)).isEmpty();
        assertThat(wants.wanted(third, none, Set.of("show"), false, ms(LEASE_MS)))
                .isEmpty();
        // the owner died: free from now on; the second input's node gets a lease to take it first
        assertThat(wants.wanted(third, none, none, false, ms(LEASE_MS + 100))).isEmpty();
        assertThat(wants.wanted(third, none, none, false, ms(LEASE_MS + 100 + LEASE_MS - 1)))
                .isEmpty();
        assertThat(wants.wanted(third, none, none, false, ms(LEASE_MS + 100 + LEASE_MS)))
                .containsExactly("show");
        // taken by someone meanwhile: the wait starts again when it is free again
        assertThat(wants.wanted(third, none, Set.of("show"), false, ms(3 * LEASE_MS)))
                .isEmpty();
        assertThat(wants.wanted(third, none, none, false, ms(3 * LEASE_MS + 1))).isEmpty();
        assertThat(wants.wanted(third, none, none, false, ms(3 * LEASE_MS + 1 + LEASE_MS)))
                .containsExactly("show");
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static InputStatus forwarded(String name, int priority, String node) {
        return new InputStatus(name, priority, InputState.STANDBY, null, 0, null, null, -1, 0, 0, null, null, node);
    }

    @Test
    void theBackupIngestsGoToANodeThatDoesNotOwnTheChannelWhileTheOwnerHasAnotherNodesInput() {
        Set<String> show = Set.of("show");
        Set<String> none = Set.of();
        // b: its own backup encoder is live, a owns the channel: b pushes the backup ingests
        Map<String, List<InputStatus>> onB = show(InputState.DOWN, InputState.STANDBY);
        assertThat(wants.backupIngestsWanted(onB, show, none, show, none, false, 0))
                .containsExactly("show");
        assertThat(wants.backupIngestsWanted(onB, show, none, none, none, false, 0))
                .as("nobody owns it yet: the owner comes first")
                .isEmpty();
        assertThat(wants.backupIngestsWanted(onB, none, none, show, none, false, 0))
                .as("no backup ingest configured")
                .isEmpty();
        assertThat(wants.backupIngestsWanted(onB, show, none, show, none, true, 0))
                .as("holding off for a peer: nothing new")
                .isEmpty();
    }

    @Test
    void theOwnerPushesTheBackupIngestsOnlyWhenAloneAndGivesThemUpWhenAnotherNodesInputIsLive() {
        ChannelWants owner = new ChannelWants(LEASE_MS);
        Set<String> show = Set.of("show");
        Set<String> none = Set.of();
        Map<String, List<InputStatus>> alone = show(InputState.ACTIVE, InputState.DOWN);
        assertThat(owner.backupIngestsWanted(alone, show, show, none, none, false, ms(0)))
                .as("just took the channel: the others' inputs may not have reached it yet")
                .isEmpty();
        assertThat(owner.backupIngestsWanted(alone, show, show, none, none, false, ms(LEASE_MS)))
                .containsExactly("show");
        Map<String, List<InputStatus>> withB =
                Map.of("show", List.of(input("primary", 1, InputState.ACTIVE), forwarded("backup", 2, "b")));
        assertThat(owner.backupIngestsWanted(withB, show, show, none, show, false, ms(LEASE_MS + 1)))
                .as("b has a live input: b pushes them")
                .isEmpty();
    }
}
