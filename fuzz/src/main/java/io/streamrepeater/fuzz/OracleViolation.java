package io.streamrepeater.fuzz;

/** A target ran without an exception but broke one of its promises (e.g. what decoded did not re-encode). */
final class OracleViolation extends RuntimeException {
    OracleViolation(String message) {
        super(message);
    }
}
