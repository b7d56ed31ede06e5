package de.ackservice.server;

import io.vertx.core.net.NetSocket;

/**
 * Ends a connection at once with a reset (SO_LINGER 0), dropping whatever it could not send. For a close the server
 * decided on whose last bytes the client does not take: Vert.x's {@code close()} waits for them to be written, which a
 * client that never reads makes for ever. Needs the socket's channel, so the one adapter below Vert.x's public API
 * provides it ({@link de.ackservice.netty.VertxNetty#abort}).
 */
@FunctionalInterface
interface SocketAbort {
  void abort(NetSocket socket);
}
