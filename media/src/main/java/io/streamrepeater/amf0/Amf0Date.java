package io.streamrepeater.amf0;

/**
 * An AMF0 date (marker 0x0B).
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00Z, as the sender wrote them (may be fractional)
 * @param timeZone the reserved time-zone field; the spec says senders write 0 and readers ignore it
 */
public record Amf0Date(double epochMillis, short timeZone) {

    /** A date with time zone 0, as the spec asks senders to write. */
    public static Amf0Date ofEpochMillis(double epochMillis) {
        return new Amf0Date(epochMillis, (short) 0);
    }
}
