package io.streamrepeater.control.web;

import io.javalin.http.staticfiles.Location;
import io.javalin.http.staticfiles.StaticFileConfig;
import java.util.Map;

/**
 * The operator's dashboard: plain HTML, CSS and JavaScript under {@code /web} on the classpath, served
 * at {@code /} of the HTTP port with no build step. The assets hold no secret, so they need no token;
 * the page asks for the admin token and sends it as a bearer header on every API call.
 */
public final class DashboardAssets {
    /** Where the assets live on the classpath. */
    public static final String CLASSPATH_DIRECTORY = "/web";

    /**
     * The page loads nothing from elsewhere and runs no inline script, so a strict policy costs nothing
     * and stops an injected {@code <script>} or a framing page from reaching the token. The preview player feeds
     * its {@code <video>} through Media Source Extensions, a {@code blob:} URL of the page's own.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private DashboardAssets() {}

    /** Fills in Javalin's static-file settings for the dashboard. */
    public static void configure(StaticFileConfig files) {
        files.hostedPath = "/";
        files.directory = CLASSPATH_DIRECTORY;
        files.location = Location.CLASSPATH;
        files.headers = Map.of(
                "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                // a new server version must not meet an old app.js kept by the browser
                "Cache-Control", "no-cache");
    }
}
