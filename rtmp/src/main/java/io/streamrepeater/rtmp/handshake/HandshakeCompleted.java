package io.streamrepeater.rtmp.handshake;

/**
 * User event fired on the pipeline once the handshake handler has removed itself: the chunk layer owns the
 * connection from here on.
 *
 * @param form the handshake form the two sides used
 */
public record HandshakeCompleted(HandshakeForm form) {}
