package io.streamrepeater.control.webhooks;

/** How many webhook deliveries of a channel ended with an outcome since the server started. */
public record DeliveryCount(String channel, WebhookOutcome outcome, long count) {}
