package io.streamrepeater.media;

/**
 * The sound format an audio sequence header announces; inputs of one channel should agree on it.
 *
 * @param codec the codec
 * @param sampleRate output sample rate in Hz
 * @param channels output channel count, 0 when the configuration defers it to in-band data
 */
public record AudioFormat(AudioCodec codec, int sampleRate, int channels) {}
