package io.streamrepeater.testkit;

/**
 * One leak reported by Netty's {@code ResourceLeakDetector}: a reference-counted object
 * (usually a {@code ByteBuf}) was garbage-collected without having been released.
 *
 * @param resourceType the simple name of the leaked type as Netty reports it, e.g. {@code ByteBuf}
 * @param records where the object was created and last touched; empty when the detector did not
 *     trace this object (level SIMPLE or sampling), which is why the suite runs at PARANOID
 * @param testName the test that was running (or last ran) when the leak was recorded, for context
 */
public record LeakReport(String resourceType, String records, String testName) {

    @Override
    public String toString() {
        return "LEAK of " + resourceType + " recorded during " + testName
                + (records.isEmpty()
                        ? " (untraced: run at -Dio.netty.leakDetection.level=PARANOID for records)"
                        : ":" + records);
    }
}
