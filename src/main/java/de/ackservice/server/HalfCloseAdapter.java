package de.ackservice.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The one main-code class that reaches below Vert.x's public API, and only for half-close. A client may send its
 * last messages and shut down its sending side before it reads the acknowledgements (the seed client's pattern,
 * and {@code client} with piped input). Vert.x 5.0's {@code NetSocket} cannot express that: it has no half-close
 * option, Netty then closes the whole connection at end of input, and acknowledgements still queued (a client
 * that is not reading yet) are dropped. So this allows half-closure on the channel and turns Netty's end-of-input
 * event into a callback; everything else about the connection (reading, writing, backpressure, closing) goes
 * through the public {@code NetSocket} API in {@link AckConnection}.
 *
 * <p>Second use, for the same reason (Vert.x's socket has no such option): {@link #abort} resets a connection whose
 * close would otherwise wait for ever for a client that does not read (see {@link SocketAbort}).
 */
final class HalfCloseAdapter {

  private HalfCloseAdapter() {
  }

  /** Keeps {@code socket} open when its client shuts down its output, and calls {@code inputEnded} then. */
  static void keepOpenOnInputEnd(NetSocket socket, Runnable inputEnded) {
    ChannelHandlerContext vertxHandler = ((NetSocketInternal) socket).channelHandlerContext();
    vertxHandler.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertxHandler.pipeline().addBefore(vertxHandler.name(), "ack-input-end", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
          inputEnded.run();
        }
        ctx.fireUserEventTriggered(event);
      }
    });
  }

  /**
   * Closes at once with a reset: SO_LINGER 0, then a close issued from the front of the pipeline. Issued from the
   * channel (its tail) the close would pass Vert.x's handler, which turns it into a close after the pending writes,
   * the very wait this ends; from the first handler it goes straight to the socket.
   */
  static void abort(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.pipeline().firstContext().close();
    }
  }
}
