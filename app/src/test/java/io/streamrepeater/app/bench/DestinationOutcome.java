package io.streamrepeater.app.bench;

/**
 * How one destination came through a soak.
 *
 * @param name the destination's name in the channel
 * @param stateAtEnd its state in the API at the end of the soak (before the encoders and server stop)
 * @param reconnects its {@code reconnects} counter in the API at the end
 * @param publishSessions publish sessions the destination (nginx-rtmp) saw
 * @param recordings recorded files, one per publish session
 * @param videoPackets video packets in all its recordings
 * @param decodeErrors lines the decoders reported at level error over all its recordings
 * @param nonMonotonicRecordings recordings whose video or audio DTS went backwards
 */
record DestinationOutcome(
        String name,
        String stateAtEnd,
        long reconnects,
        long publishSessions,
        int recordings,
        long videoPackets,
        long decodeErrors,
        int nonMonotonicRecordings) {

    boolean liveAtEnd() {
        return "LIVE".equals(stateAtEnd);
    }
}
