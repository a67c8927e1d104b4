package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An idle epoll event loop with {@link QuietLoops}' far-off timer does not wake (counted as the loop thread's
 * voluntary context switches in /proc), while a loop with a real 100 ms timer wakes about ten times a second in the
 * same window (the count sees wake-ups), and a timer scheduled after the far-off one still fires.
 */
class QuietLoopsTest {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    @Test
    void anIdleLoopSleepsAndTimersStillFire() throws Exception {
        assertThat(Epoll.isAvailable()).as("the server's transport on Linux").isTrue();
        EventLoopGroup quiet = group("qlq");
        EventLoopGroup busy = group("qlb");
        try {
            QuietLoops.sleepUntilNeeded(quiet);
            QuietLoops.sleepUntilNeeded(busy);
            busy.next().scheduleAtFixedRate(() -> {}, 100, 100, TimeUnit.MILLISECONDS);
            AtomicBoolean fired = new AtomicBoolean();
            quiet.next().schedule(() -> fired.set(true), 300, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(5)).untilTrue(fired);

            Path quietThread = threadOf(quiet);
            Path busyThread = threadOf(busy);
            long quiet0 = wakeUps(quietThread);
            long busy0 = wakeUps(busyThread);
            // without the far-off timer Netty 4.2 wakes an idle loop once a second: 3 or 4 times in this window
            await().during(Duration.ofMillis(3500))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> wakeUps(quietThread) - quiet0 <= 1);
            assertThat(wakeUps(busyThread) - busy0)
                    .as("wake-ups of a loop with a 100 ms timer over the same window")
                    .isGreaterThanOrEqualTo(15);
        } finally {
            quiet.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            busy.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static EventLoopGroup group(String prefix) {
        String name = prefix + GROUPS.incrementAndGet();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
        return new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
    }

    /** The /proc entry of the group's one loop thread, found by the name the kernel knows it by. */
    private static Path threadOf(EventLoopGroup group) throws Exception {
        String name =
                group.next().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> name.equals(read(t.resolve("comm")).strip()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no thread named " + name + " in /proc/self/task"));
        }
    }

    private static long wakeUps(Path thread) {
        for (String line : read(thread.resolve("status")).split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + thread);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
