package io.streamrepeater.channel;

/** An input as the channel needs to know it: name, and whether a new publisher may take it over. */
public record InputSpec(String name, boolean allowTakeover) {}
