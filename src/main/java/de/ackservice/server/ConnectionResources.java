package de.ackservice.server;

import de.ackservice.config.ServerConfig;
import de.ackservice.overload.Overload;

/**
 * What every connection of one verticle instance shares: built once in the verticle's start(). All of it is used on
 * that instance's event loop only, which is why one scratch array serves all its connections: a connection copies
 * bytes into it and scans them within one handler call, never keeping them there.
 */
record ConnectionResources(
  ServerConfig config,
  Acknowledgements acks,
  ServerCounters counters,
  ConnectionLimiter limiter,
  IdleSweeper idleSweeper,
  byte[] scratch,
  Overload overload,
  SocketAbort abort,
  InstanceConnections instance,
  EventLoopSpin spin) {

  /** The scratch array's size: as big as the largest read Netty makes by default, so a read is one copy. */
  static final int SCRATCH_BYTES = 64 * 1024;
}
