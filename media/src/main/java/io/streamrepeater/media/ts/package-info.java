/**
 * MPEG-TS demuxing for SRT ingest (ISO/IEC 13818-1): 188-byte packets, PAT and PMT, PES assembly
 * with continuity checks, and the conversion of H.264/HEVC Annex B and AAC ADTS elementary streams
 * into the same {@link io.streamrepeater.media.MediaPacket} FLV tag bodies an RTMP input produces.
 * The entry point is {@link io.streamrepeater.media.ts.TsDemuxer}.
 */
package io.streamrepeater.media.ts;
