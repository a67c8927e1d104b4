package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts the network of chosen processes while every address stays on loopback: the processes run in a cgroup (v2) of
 * their own, and an nftables table of its own drops every packet their sockets send and every packet addressed to
 * their sockets ({@code socket cgroupv2}), in both directions, TCP and UDP alike. A cut looks like a pulled cable:
 * nothing is refused or reset, packets vanish, so connections hang until a timeout or until {@link #heal()}, after
 * which TCP's retransmissions carry on where they stopped.
 *
 * <p>A socket belongs to the cgroup of the process that created it, at creation: a process must be in the cgroup
 * before it opens any socket, which {@link #wrap} arranges (the command enters the cgroup, then execs). Needs root
 * and the {@code nft} program (Debian's nftables, installed by scripts/install-test-deps.sh).
 */
public final class NetworkCut implements AutoCloseable {
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Every cut's cgroup is named PREFIX + the test JVM's pid + "-" + a sequence number; its table likewise. */
    private static final String PREFIX = "streamrepeater-cut-";

    private final Path cgroup;
    private final String nftPath;
    private final String table;
    private boolean cut;

    private NetworkCut(Path cgroup, String nftPath, String table) {
        this.cgroup = cgroup;
        this.nftPath = nftPath;
        this.table = table;
    }

    /** Creates the cgroup and the (still empty, so passing) nftables table; nothing is cut yet. */
    public static NetworkCut create() {
        Path root = cgroup2Root();
        removeLeftovers(root);
        String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Path cgroup = root.resolve(name);
        try {
            Files.createDirectories(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cgroup " + cgroup + " (the network cut needs root)", e);
        }
        // nft names a cgroup by its path below /sys/fs/cgroup, wherever the v2 hierarchy is mounted
        String nftPath = CGROUP_FS.relativize(cgroup).toString();
        String table = name.replace('-', '_');
        NetworkCut created = new NetworkCut(cgroup, nftPath, table);
        try {
            nft("add", "table", "inet", table);
            nft("add", "chain", "inet", table, "out", "{ type filter hook output priority 0; policy accept; }");
            nft("add", "chain", "inet", table, "in", "{ type filter hook input priority 0; policy accept; }");
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        return created;
    }

    /** {@code command} made to run inside the cgroup: a shell enters it, then execs the command (same pid). */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(
                "sh",
                "-c",
                "echo $$ > \"$0\" && exec \"$@\"",
                cgroup.resolve("cgroup.procs").toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Drops every packet to and from the cgroup's sockets from now on. */
    public synchronized void cut() {
        if (cut) {
            return;
        }
        String match = "\"" + nftPath + "\"";
        nft("add", "rule", "inet", table, "out", "socket", "cgroupv2", "level", "1", match, "drop");
        nft("add", "rule", "inet", table, "in", "socket", "cgroupv2", "level", "1", match, "drop");
        cut = true;
    }

    /** Lets packets through again. */
    public synchronized void heal() {
        nft("flush", "chain", "inet", table, "out");
        nft("flush", "chain", "inet", table, "in");
        cut = false;
    }

    /** Removes the table and the cgroup (processes still in it are moved back to the root first). */
    @Override
    public synchronized void close() {
        try {
            nft("delete", "table", "inet", table);
        } catch (RuntimeException e) {
            System.err.println("testkit: " + e.getMessage());
        }
        try {
            Path procs = cgroup.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                for (String pid : Files.readAllLines(procs)) {
                    Files.writeString(cgroup.getParent().resolve("cgroup.procs"), pid);
                }
            }
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            System.err.println("testkit: cannot remove the cgroup " + cgroup + ": " + e.getMessage());
        }
    }

    /**
     * Removes the cgroups and tables of cuts whose test JVM is gone without closing them (killed): empty cgroups and
     * rules that match nothing, but they would pile up.
     */
    private static void removeLeftovers(Path root) {
        try (var dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                String[] parts = name.substring(PREFIX.length()).split("-");
                boolean ownerAlive;
                try {
                    ownerAlive = ProcessHandle.of(Long.parseLong(parts[0])).isPresent();
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (ownerAlive || !Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
                    continue;
                }
                try {
                    nft("delete", "table", "inet", name.replace('-', '_'));
                } catch (RuntimeException alreadyGone) {
                    // the table may have been removed before the cgroup
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            System.err.println("testkit: cannot remove leftover network cuts under " + root + ": " + e.getMessage());
        }
    }

    /** Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup itself, or /sys/fs/cgroup/unified on hybrid hosts. */
    private static Path cgroup2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[2].equals("cgroup2")) {
                    Path mount = Path.of(fields[1]);
                    if (mount.startsWith(CGROUP_FS)) {
                        return mount;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
        throw new IllegalStateException("no cgroup v2 hierarchy mounted under " + CGROUP_FS
                + ": the network cut needs one (mount -t cgroup2 none /sys/fs/cgroup/unified)");
    }

    private static void nft(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("nft");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + process.exitValue() + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run nft (nftables; scripts/install-test-deps.sh installs it): " + String.join(" ", command),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
