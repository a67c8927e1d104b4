package io.streamrepeater.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM-wide list of leaks Netty reported while the tests ran. {@link RecordingLeakDetector}s
 * append to it (from whatever thread happens to allocate when the detector polls its reference
 * queue); {@link LeakGuard} reads and drains it after each test.
 */
public final class LeakRecorder {

    private static final Object LOCK = new Object();
    private static final List<LeakReport> REPORTS = new ArrayList<>();
    private static volatile boolean installed;
    private static volatile String currentTest = "(no test yet)";

    private LeakRecorder() {}

    /** Whether the recording detector factory is in place; false means leaks only reach the log. */
    public static boolean installed() {
        return installed;
    }

    static void markInstalled() {
        installed = true;
    }

    /** Names the test that is running, so a report can say where it was noticed. */
    static void currentTest(String testName) {
        currentTest = testName;
    }

    static void record(String resourceType, String records) {
        synchronized (LOCK) {
            REPORTS.add(new LeakReport(resourceType, records, currentTest));
        }
    }

    /** A copy of the leaks recorded and not yet drained or cleared. */
    public static List<LeakReport> snapshot() {
        synchronized (LOCK) {
            return List.copyOf(REPORTS);
        }
    }

    /** Returns the leaks recorded so far and forgets them. */
    public static List<LeakReport> drain() {
        synchronized (LOCK) {
            List<LeakReport> drained = List.copyOf(REPORTS);
            REPORTS.clear();
            return drained;
        }
    }

    /** Forgets every recorded leak; for a test that leaks on purpose and has checked the report. */
    public static void clear() {
        synchronized (LOCK) {
            REPORTS.clear();
        }
    }
}
