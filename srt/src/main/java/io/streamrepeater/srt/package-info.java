/**
 * SRT ingest: a listener on the system's libsrt (bound through JNA, no native code of ours) whose connections carry
 * MPEG-TS, demuxed by {@code media.ts} into the same {@code MediaPacket} stream an RTMP input produces.
 */
package io.streamrepeater.srt;
