package io.streamrepeater.testkit;

import java.nio.file.Path;

/** The module's {@code target} directory, where testkit keeps cached media and process logs. */
final class BuildDirectory {

    private BuildDirectory() {}

    /** {@code target/NAME} under Maven's {@code basedir} when Surefire sets it, else under the working directory. */
    static Path resolve(String name) {
        String basedir = System.getProperty("basedir");
        Path base = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        return base.resolve("target").resolve(name);
    }
}
