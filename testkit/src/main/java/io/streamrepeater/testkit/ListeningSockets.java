package io.streamrepeater.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which process listens on a loopback TCP port, read from Linux's {@code /proc}. A connect probe alone cannot
 * tell a freshly started server from another process that took its port meanwhile.
 */
final class ListeningSockets {

    private static final String LOOPBACK_HEX = "0100007F"; // 127.0.0.1 as /proc/net/tcp writes it
    private static final String STATE_LISTEN = "0A";

    private ListeningSockets() {}

    /** Whether process {@code pid} holds a socket listening on 127.0.0.1:{@code port}. */
    static boolean ownedBy(long pid, int port) {
        Set<String> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return false;
        }
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return descriptors.anyMatch(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            });
        } catch (IOException e) {
            return false; // the process is gone
        }
    }

    private static Set<String> listeningInodes(int port) {
        String localAddress = LOOPBACK_HEX + ":" + String.format(Locale.ROOT, "%04X", port);
        Set<String> inodes = new HashSet<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                if (fields.length > 9 && fields[1].equals(localAddress) && fields[3].equals(STATE_LISTEN)) {
                    inodes.add(fields[9]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/net/tcp to check who listens on port " + port, e);
        }
        return inodes;
    }
}
