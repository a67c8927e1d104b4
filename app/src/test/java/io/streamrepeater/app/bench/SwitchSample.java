package io.streamrepeater.app.bench;

/**
 * The figures of one switch caused by a real failure of the active input's encoder.
 *
 * @param detectionDelayMs from the failed input's last media packet to the switch decision (the SWITCH event)
 * @param switchMs from the decision to the first packet of the new input written to the destinations (the event)
 * @param gapMs output DTS of the new input's first packet minus the last one before it (the event)
 * @param repeatedMs how old the content the new input started with already was (the event; 0 for next-keyframe)
 * @param outageMs from the moment the benchmark signalled the encoder to the first packet of the new input
 *     on the output, by the wall clock of the benchmark and the server (one JVM)
 */
record SwitchSample(long detectionDelayMs, long switchMs, long gapMs, long repeatedMs, long outageMs) {}
