/**
 * Test support shared by every module's tests (test scope): real peers and the leak check.
 *
 * <ul>
 *   <li>{@link io.streamrepeater.testkit.LeakGuard}: runs after every Jupiter test of a module with testkit on its
 *       test classpath and fails the test when Netty reported a leaked buffer (installed by
 *       {@link io.streamrepeater.testkit.LeakGuardInstaller}; nothing to annotate).</li>
 *   <li>{@link io.streamrepeater.testkit.NginxRtmp}: nginx-rtmp as a recording RTMP/RTMPS destination per test.</li>
 *   <li>{@link io.streamrepeater.testkit.TestMedia}, {@link io.streamrepeater.testkit.FfmpegPublisher},
 *       {@link io.streamrepeater.testkit.GstPublisher}: encoders to publish with.</li>
 *   <li>{@link io.streamrepeater.testkit.Ffprobe} and {@link io.streamrepeater.testkit.MediaReport}: what a
 *       destination recorded or sends to a viewer.</li>
 *   <li>{@link io.streamrepeater.testkit.FreePorts}, {@link io.streamrepeater.testkit.LocalhostCertificates},
 *       {@link io.streamrepeater.testkit.ExternalProcess}: loopback ports, a throwaway CA, bounded processes.</li>
 * </ul>
 *
 * Everything binds and connects on 127.0.0.1/localhost only. The external tools come from
 * {@code scripts/install-test-deps.sh}; logs of the processes go to {@code target/test-logs/}.
 */
package io.streamrepeater.testkit;
