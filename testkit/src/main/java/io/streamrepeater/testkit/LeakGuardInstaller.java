package io.streamrepeater.testkit;

import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the recording leak detector factory when the JUnit Platform opens its launcher session,
 * which happens before any test class is loaded. It must come that early: Netty creates the
 * {@code ByteBuf} leak detector once, in a static initializer, from whatever factory is installed
 * at that moment. Registered through {@code META-INF/services}.
 */
public final class LeakGuardInstaller implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /** Idempotent; safe to call from several sessions of one JVM. */
    static synchronized void install() {
        if (!LeakRecorder.installed()) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingLeakDetectorFactory());
            LeakRecorder.markInstalled();
        }
    }
}
