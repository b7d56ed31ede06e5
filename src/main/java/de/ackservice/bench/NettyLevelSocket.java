package de.ackservice.bench;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The load generator's one use of Vert.x's internal API: a connected socket's bytes as Netty delivers them, one
 * callback at the end of each read batch, and the channel to write to without a future per write. So the tool does
 * not become the bottleneck it measures (see {@link ConnectionDriver}); the public {@code NetSocket} would hand over
 * each chunk as a copy-free but per-chunk flushed {@code Buffer}, with no end-of-batch signal to write once.
 * Kept here so that it can move into the project's single Vert.x adapter, or go once a public-API driver has been
 * measured to keep up.
 */
final class NettyLevelSocket {

  private NettyLevelSocket() {
  }

  /**
   * Routes {@code socket}'s received messages (Netty {@code ByteBuf}s, released by the caller) to {@code onMessage}
   * and the end of each read batch to {@code onReadBatchComplete}; returns the channel to write and flush on.
   */
  static ChannelHandlerContext attach(NetSocket socket, Handler<Object> onMessage, Handler<Void> onReadBatchComplete) {
    NetSocketInternal internal = (NetSocketInternal) socket;
    internal.messageHandler(onMessage);
    internal.readCompletionHandler(onReadBatchComplete);
    return internal.channelHandlerContext();
  }
}
