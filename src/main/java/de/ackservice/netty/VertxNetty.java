package de.ackservice.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The project's one seam to Vert.x's internal API: the only main-code class that imports
 * {@code io.vertx.core.internal} or an {@code .impl} package. Everything that needs the Netty channel under a
 * {@link NetSocket} gets it here, so a Vert.x upgrade that moves these classes breaks this file and nothing else.
 *
 * <p>Why the server needs it (measured, README "Which connection path ships"): the connection path written on the
 * public {@code NetSocket} API (handler, writeQueueFull, pause, drainHandler; one write per read) was measured side
 * by side with the Netty handler in the socket's pipeline, one compare.sh run per scenario, 9 rounds. Medians of
 * per-round ratios to the previous build: stop-and-wait raw 100 connections, public API 0.78 × throughput and
 * 1.11 × server CPU per acknowledgement, Netty handler 1.05 × and 1.00 ×; pipelined lines 50 × 16, public API 0.75 ×
 * and 1.16 ×, Netty handler 0.92 × and 1.04 ×. The public path is more than 5 % behind in both scenarios (every read
 * copied into a heap Buffer and queued, every write queued), so the server installs its handler here instead.
 *
 * <p>Why the client and the load generator need it: Vert.x 5.0's {@code NetSocket} has no half-close ({@code end()}
 * is {@code close()}), and the load generator must see Netty's read batches to write once per batch without a
 * future per write, so as not to be the bottleneck it measures.
 */
public final class VertxNetty {

  private VertxNetty() {
  }

  /**
   * Inserts {@code handler} into {@code socket}'s pipeline in front of Vert.x's own handler, so it sees every read
   * first and Vert.x sees only what it passes on; returns the handler's context, to write and flush on.
   *
   * @param halfClosure keep the connection open when the peer shuts down its output (Netty then fires
   *                    {@code ChannelInputShutdownEvent}) instead of closing it and dropping unwritten replies
   * @param reads       how big Netty's reads are, or null for Vert.x's choice
   */
  public static ChannelHandlerContext insertBeforeVertx(NetSocket socket, String name, ChannelHandler handler,
                                                        boolean halfClosure, RecvByteBufAllocator reads) {
    ChannelHandlerContext vertxHandler = ((NetSocketInternal) socket).channelHandlerContext();
    Channel channel = vertxHandler.channel();
    if (halfClosure) {
      channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
    if (reads != null) {
      channel.config().setRecvByteBufAllocator(reads);
    }
    vertxHandler.pipeline().addBefore(vertxHandler.name(), name, handler);
    return vertxHandler.pipeline().context(handler);
  }

  /**
   * Vert.x's net metrics (bytes read and written) of {@code socket}, or null when metrics are off. Bytes that a
   * handler from {@link #insertBeforeVertx} consumes and writes never pass Vert.x's handler, so its metrics would
   * not count them: the handler reports them here.
   */
  public static ByteMetrics byteMetrics(NetSocket socket) {
    if (socket instanceof ConnectionBase connection && connection.metrics() != null) {
      return new ByteMetrics(connection);
    }
    return null;
  }

  /** A connection's byte counters in Vert.x's net metrics. Vert.x settles them when the connection closes. */
  public static final class ByteMetrics {

    private final ConnectionBase connection;

    private ByteMetrics(ConnectionBase connection) {
      this.connection = connection;
    }

    public void bytesRead(long bytes) {
      connection.reportBytesRead(bytes);
    }

    public void bytesWritten(long bytes) {
      connection.reportBytesWritten(bytes);
    }
  }

  /**
   * Ends {@code socket} at once with a reset (SO_LINGER 0), dropping what it could not send: for a close the server
   * decided on whose last bytes the client does not take. Vert.x 5.0's {@code close()} waits for them to be written
   * (which a client that never reads makes for ever), and a close issued from the channel (its tail) passes Vert.x's
   * handler, which turns it into that same waiting close; issued from the first handler it goes straight to the
   * socket.
   */
  public static void abort(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.pipeline().firstContext().close();
    }
  }

  /**
   * Shuts the output of {@code socket} and keeps reading (half-close); false when its transport cannot, the caller
   * then closes.
   */
  public static boolean shutdownOutput(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    if (channel instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
      return true;
    }
    return false;
  }

  /**
   * Routes {@code socket}'s received messages (Netty {@code ByteBuf}s, released by the caller) to {@code onMessage}
   * and the end of each read batch to {@code onReadBatchComplete}; returns the channel to write and flush on.
   */
  public static ChannelHandlerContext readBatches(NetSocket socket, Handler<Object> onMessage,
                                                  Handler<Void> onReadBatchComplete) {
    NetSocketInternal internal = (NetSocketInternal) socket;
    internal.messageHandler(onMessage);
    internal.readCompletionHandler(onReadBatchComplete);
    return internal.channelHandlerContext();
  }
}
