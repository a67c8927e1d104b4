/**
 * AMF0 values and their reader/writer over Netty {@link io.netty.buffer.ByteBuf}s, as RTMP command
 * and data messages carry them, plus the AMF3 values that may follow the AVM+ marker (0x11).
 *
 * <p>Java mapping: number {@code Double}, boolean {@code Boolean}, string and long string
 * {@code String}, object {@link io.streamrepeater.amf0.Amf0Object}, ECMA array
 * {@link io.streamrepeater.amf0.Amf0EcmaArray}, strict array {@code List<Object>}, date
 * {@link io.streamrepeater.amf0.Amf0Date}, XML document {@link io.streamrepeater.amf0.Amf0XmlDocument},
 * typed object {@link io.streamrepeater.amf0.Amf0TypedObject}, null {@code null}, undefined
 * {@link io.streamrepeater.amf0.Amf0#UNDEFINED}, unsupported {@link io.streamrepeater.amf0.Amf0#UNSUPPORTED}.
 */
package io.streamrepeater.amf0;
