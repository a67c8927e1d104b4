package io.streamrepeater.media;

/**
 * The picture format a video sequence header announces; inputs of one channel should agree on it.
 *
 * @param codec the codec
 * @param width displayed width in pixels (after cropping)
 * @param height displayed height in pixels (after cropping)
 * @param profile the codec profile by name, e.g. "High" or "Constrained Baseline"
 * @param frameRate frames per second from the stream's timing info, 0 if it carries none
 */
public record VideoFormat(VideoCodec codec, int width, int height, String profile, double frameRate) {}
