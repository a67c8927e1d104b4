/**
 * Guards of an ingest connection against peers that hold resources without publishing: a cap on connections in
 * total and per address, deadlines for the handshake and for the publish command, and the chunk layer's limits
 * turned into named log lines. Every hit is one {@code event=ingest-limit} line and a count in
 * {@link io.streamrepeater.rtmp.limits.IngestLimitEvents}.
 */
package io.streamrepeater.rtmp.limits;
