package io.streamrepeater.rtmp.session;

/**
 * User event an {@link IngestSession} fires on the whole pipeline (from its head) once a publish has been accepted, so
 * handlers in front of the session that only guard the time before publishing can stand down.
 *
 * @param input the label of the input that is now fed (never the stream key)
 */
public record PublishStarted(String input) {}
