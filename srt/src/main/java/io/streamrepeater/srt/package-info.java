/**
 * SRT ingest: a listener on the system's libsrt (bound through JNA, no native code of ours) whose connections carry
 * MPEG-TS, demuxed by {@code media.ts} into the same {@code MediaPacket} stream an RTMP input produces.
 *
 * <p>{@link io.streamrepeater.srt.SrtLibrary} loads libsrt (or says why it cannot);
 * {@link io.streamrepeater.srt.SrtIngestServer} listens; {@link io.streamrepeater.srt.SrtIngestGate} is the port the
 * application implements (stream key to input, publish to sink); {@link io.streamrepeater.srt.StreamId} reads what a
 * caller asks for. The {@code binding} subpackage holds the JNA mapping of the few libsrt calls used.
 */
package io.streamrepeater.srt;
