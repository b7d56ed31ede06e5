package de.ackservice.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection hot path, as a Netty handler in the Vert.x socket's pipeline (the way Netty's echo example is
 * written): each read is framed, answered with the shared acknowledgement bytes and released; acks are flushed once
 * per read batch. Vert.x keeps the connection's lifecycle (close, shutdown); the bytes never reach it.
 *
 * <p>Backpressure is exact: a read is answered only as far as the channel's write budget
 * ({@code writeQueueMaxBytes}) allows. The rest of it is held (one read at most) and reading stops until the client
 * has taken its acknowledgements, so memory per connection stays bounded whatever the client sends.
 *
 * <p>Because the bytes bypass Vert.x's socket, its net-server metrics (bytes read and written) would not see them:
 * with metrics on, the handler reports them itself, in steps of {@value #METRICS_STEP} bytes (as Vert.x does) and
 * the rest when the connection closes.
 */
final class AckHandler extends ChannelInboundHandlerAdapter {

  /** What the connection learns from its byte stream. Called on the event loop. */
  interface Listener {
    void peerFinishedSending();

    void lineTooLong();
  }

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  /** A queued connection reads this much at most (to notice its client leaving) before reading stops. */
  static final int QUEUED_READ_LIMIT = 4096;
  /** Bytes counted before they are reported to Vert.x's metrics, which batch their own counts the same way. */
  static final int METRICS_STEP = 4096;

  private final MessageFramer framer;
  private final Acknowledgements acks;
  private final ServerCounters counters;
  private final Listener listener;
  private final String remote;
  /** Vert.x's byte counters of this connection, or null when metrics are off. */
  private final ConnectionBase vertxMetrics;

  private boolean serving;
  private ByteBuf held;
  private boolean peerFinished;
  private boolean unflushed;
  private boolean readSinceSweep;
  private long bytes;
  private long messages;
  private long bytesReported;
  private long messagesReported;

  AckHandler(MessageFramer framer, Acknowledgements acks, ServerCounters counters, Listener listener, String remote,
             ConnectionBase vertxMetrics) {
    this.framer = framer;
    this.acks = acks;
    this.counters = counters;
    this.listener = listener;
    this.remote = remote;
    this.vertxMetrics = vertxMetrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf chunk)) {
      ctx.fireChannelRead(msg);
      return;
    }
    readSinceSweep = true;
    if (held == null) {
      held = chunk;
    } else {
      // Rare: a read that was already under way when we stopped reading.
      CompositeByteBuf both = ctx.alloc().compositeBuffer(2);
      held = both.addComponents(true, held, chunk);
    }
    if (serving) {
      answer(ctx);
    } else if (held.readableBytes() >= QUEUED_READ_LIMIT) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Once per read batch, like Netty's channelReadComplete: one syscall for all the acks of the batch. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flush(ctx);
    ctx.fireChannelReadComplete();
  }

  /** The client has taken enough of its acknowledgements: answer what is held, then read again. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (serving && ctx.channel().isWritable() && held != null) {
      answer(ctx);
      flush(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** The client shut down its sending side: close once everything it sent is answered. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      peerFinished = true;
      if (!serving || held == null) {
        listener.peerFinishedSending();
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  /** Called once the connection may be served (at once, or when the limit admits it). */
  void startServing(ChannelHandlerContext ctx) {
    serving = true;
    if (held != null) {
      answer(ctx);
      flush(ctx);
    }
    if (held == null) {
      ctx.channel().config().setAutoRead(true);
      if (peerFinished) {
        listener.peerFinishedSending();
      }
    }
  }

  private void answer(ChannelHandlerContext ctx) {
    ByteBuf chunk = held;
    if (log.isDebugEnabled()) {
      log.debug("{} sent {}", remote, PayloadLog.render(chunk));
    }
    int before = chunk.readerIndex();
    int budget = acks.fitting(ctx.channel().bytesBeforeUnwritable());
    int answered = budget > 0 ? framer.consume(chunk, budget) : 0;
    int consumed = chunk.readerIndex() - before;
    bytes += consumed;
    counters.bytesReceived.add(consumed);
    if (answered > 0) {
      acks.write(ctx, answered);
      unflushed = true;
      messages += answered;
      counters.messages.add(answered);
    }
    if (framer.overLimit()) {
      releaseHeld();
      listener.lineTooLong();
    } else if (chunk.isReadable()) {
      // Out of write budget: the client is not reading its acknowledgements. Hold the rest, stop reading.
      counters.backpressurePauses.increment();
      log.debug("{} not reading its acknowledgements: paused", remote);
      ctx.channel().config().setAutoRead(false);
    } else {
      releaseHeld();
      if (!ctx.channel().config().isAutoRead()) {
        log.debug("{} reading its acknowledgements again: resumed", remote);
        ctx.channel().config().setAutoRead(true);
      }
      if (peerFinished) {
        listener.peerFinishedSending();
      }
    }
  }

  private void flush(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
    if (vertxMetrics != null && (bytes - bytesReported >= METRICS_STEP
      || (messages - messagesReported) * acks.bytesPerAck() >= METRICS_STEP)) {
      reportToVertx(0);
    }
  }

  /** Before Vert.x's own handler settles the connection's byte counts: the rest of ours goes in first. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    reportToVertx(0);
    super.channelInactive(ctx);
  }

  /**
   * Tells Vert.x's metrics the bytes read and acknowledgement bytes written since the last report, plus
   * {@code otherBytesWritten} (an error line). Must run before the connection closes: Vert.x settles a connection's
   * byte counts when it closes.
   */
  void reportToVertx(int otherBytesWritten) {
    if (vertxMetrics == null) {
      return;
    }
    vertxMetrics.reportBytesRead(bytes - bytesReported);
    vertxMetrics.reportBytesWritten((messages - messagesReported) * acks.bytesPerAck() + otherBytesWritten);
    bytesReported = bytes;
    messagesReported = messages;
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  /** @return whether the connection read anything since the last call, clearing the flag */
  boolean takeReadFlag() {
    boolean read = readSinceSweep;
    readSinceSweep = false;
    return read;
  }

  long bytes() {
    return bytes;
  }

  long messages() {
    return messages;
  }
}
