package io.streamrepeater.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/** Creates {@link RecordingLeakDetector}s for every resource type Netty tracks (buffers, timers, …). */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        return new RecordingLeakDetector<>(resource, samplingInterval);
    }

    /** Netty's deprecated variant; {@code maxActive} has been ignored by Netty itself for years. */
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            Class<T> resource, int samplingInterval, long maxActive) {
        return new RecordingLeakDetector<>(resource, samplingInterval);
    }
}
