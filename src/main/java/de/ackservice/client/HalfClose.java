package de.ackservice.client;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Shuts the sending side of a connection and keeps reading: what the raw-framing client needs at the end of its
 * input, so that an acknowledgement the server sends after reading our last bytes is counted rather than met by a
 * reset (ClientFailureTest#inRawFramingTheClientWaitsForTheServersCloseSoALateAcknowledgementIsCounted).
 *
 * <p>Vert.x 5.0's public {@link NetSocket} cannot do this: {@code end()} is {@code close()}, and there is no
 * {@code shutdownOutput}. Hence the one use of its internal API in the client, kept here so that it can move into
 * the project's single Vert.x adapter, or go when Vert.x offers a half-close.
 */
final class HalfClose {

  private HalfClose() {
  }

  /** Shuts the output of {@code socket}; false when its transport cannot (the caller then closes). */
  static boolean shutdownOutput(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (channel instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
      return true;
    }
    return false;
  }
}
