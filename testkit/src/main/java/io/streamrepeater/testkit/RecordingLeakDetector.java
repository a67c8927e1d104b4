package io.streamrepeater.testkit;

import io.netty.util.ResourceLeakDetector;

/**
 * A {@link ResourceLeakDetector} that behaves like Netty's own (including logging the leak at ERROR)
 * and also hands every report to {@link LeakRecorder}, so a test can fail on it.
 */
final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Always report: recording must not depend on whether the logging backend enables ERROR for Netty. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LeakRecorder.record(resourceType, records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LeakRecorder.record(resourceType, "");
        super.reportUntracedLeak(resourceType);
    }
}
