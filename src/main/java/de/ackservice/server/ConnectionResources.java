package de.ackservice.server;

import de.ackservice.config.ServerConfig;

/** What every connection of one verticle instance shares: built once in the verticle's start(). */
record ConnectionResources(
  ServerConfig config,
  Acknowledgements acks,
  ServerCounters counters,
  ConnectionLimiter limiter,
  IdleSweeper idleSweeper) {
}
