package de.ackservice.server;

import de.ackservice.config.Framing;
import de.ackservice.config.OverLimitPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * One client connection: admission against the connection limit, framing, acknowledgement, backpressure, idle
 * tracking and the close log line. Every method runs on the connection's event loop, except {@link #admit()},
 * which hops onto it.
 *
 * <p>The hot path is written the way Netty's echo example is: it reads Netty's own buffers (no copy into a Vert.x
 * Buffer), writes the shared acknowledgement bytes without a completion promise, and flushes once per read batch.
 * {@link NetSocketInternal} is Vert.x's API for exactly this kind of protocol code.
 *
 * <p>Log lines are per connection (opened, queued, rejected, closed), never per message, and carry their facts as
 * key-value pairs (remote, bytes, messages, durationMs, reason), which the JSON log format turns into fields.
 */
final class AckConnection implements ConnectionLimiter.Waiter, IdleSweeper.Tracked {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  private enum State { QUEUED, SERVED, CLOSED }

  private static final AdaptiveRecvByteBufAllocator RAW_READS =
    new AdaptiveRecvByteBufAllocator(16 * 1024, 16 * 1024, 64 * 1024);

  private final NetSocketInternal socket;
  private final ChannelHandlerContext channel;
  private final Context context;
  private final ConnectionResources resources;
  private final MessageFramer framer;
  private final String remote;
  private final long openedNanos = System.nanoTime();
  /** Vert.x's byte counters for this connection when metrics are on, else null (see {@link #reportAcksWritten()}). */
  private final ConnectionBase vertxMetrics;

  private State state;
  private CloseReason closeReason;
  private boolean readSinceSweep;
  private boolean unflushed;
  private boolean pausedForBackpressure;
  private boolean draining;
  private long bytes;
  private long messages;
  private long acksReported;

  AckConnection(NetSocket socket, ConnectionResources resources) {
    this.socket = (NetSocketInternal) socket;
    this.channel = this.socket.channelHandlerContext();
    this.context = Vertx.currentContext();
    this.resources = resources;
    this.framer = MessageFramer.create(resources.config().framing(), resources.config().maxLineBytes());
    this.remote = String.valueOf(socket.remoteAddress());
    this.vertxMetrics = socket instanceof ConnectionBase base && base.metrics() != null ? base : null;
  }

  /** Called by the connect handler: registers the socket's handlers, then serves, queues or rejects it. */
  void open() {
    resources.counters().connectionsOpened.increment();
    resources.counters().open.incrementAndGet();
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    socket.messageHandler(message -> {
      if (message instanceof ByteBuf bytes) {
        onBytes(bytes);
      } else if (message == PeerFinishedSending.MARKER) {
        onPeerFinishedSending();
      }
    });
    socket.readCompletionHandler(v -> flush());
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over.
    socket.shutdownHandler(v -> draining = true);
    // A client may send its last messages and shut down its side (half-close) before reading the acks: keep the
    // connection open until they are written instead of letting Netty close it and drop them.
    channel.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    if (resources.config().framing() == Framing.RAW) {
      // In raw framing a read is a message: read big enough that a message arriving at once is one read, as the
      // seed's recv(1024) does, instead of Netty's adaptive guess shrinking to 64 bytes after small messages.
      channel.channel().config().setRecvByteBufAllocator(RAW_READS);
    }
    channel.pipeline().addBefore(channel.name(), "ack-channel-events", new ChannelEvents());

    ConnectionLimiter limiter = resources.limiter();
    if (limiter.tryAcquire()) {
      serve();
    } else if (resources.config().overLimitPolicy() == OverLimitPolicy.REJECT) {
      resources.counters().rejected.increment();
      log.atInfo().setMessage("connection rejected")
        .addKeyValue("remote", remote)
        .addKeyValue("limit", resources.config().maxConnections())
        .log();
      close(CloseReason.REJECTED);
    } else {
      // Held unread: its bytes wait in the kernel, and the client sees the seed's single-user behaviour.
      state = State.QUEUED;
      socket.pause();
      resources.counters().queued.increment();
      limiter.enqueue(this);
      log.atInfo().setMessage("connection queued")
        .addKeyValue("remote", remote)
        .addKeyValue("limit", resources.config().maxConnections())
        .addKeyValue("waiting", limiter.queued())
        .log();
    }
  }

  @Override
  public void admit() {
    context.runOnContext(v -> {
      if (state == State.CLOSED) {
        resources.limiter().release();
      } else {
        serve();
        socket.resume();
      }
    });
  }

  private void serve() {
    state = State.SERVED;
    resources.idleSweeper().track(this);
    log.atInfo().setMessage("connection opened").addKeyValue("remote", remote).log();
  }

  /** The hot path: one received buffer in, its acknowledgements out. We own {@code chunk} and release it. */
  private void onBytes(ByteBuf chunk) {
    try {
      if (state != State.SERVED) {
        return;
      }
      readSinceSweep = true;
      int length = chunk.readableBytes();
      bytes += length;
      resources.counters().bytesReceived.add(length);
      if (log.isDebugEnabled()) {
        log.debug("{} sent {}", remote, PayloadLog.render(chunk));
      }
      int received = framer.messagesIn(chunk);
      if (received > 0) {
        resources.acks().write(channel, received);
        unflushed = true;
        messages += received;
        resources.counters().messages.add(received);
      }
      if (framer.overLimit()) {
        rejectLongLine();
      } else if (!channel.channel().isWritable()) {
        // The client is not reading its acknowledgements: stop reading its messages until it does, so what we
        // hold for it stays bounded by the write queue size instead of growing with what it sends.
        pausedForBackpressure = true;
        resources.counters().backpressurePauses.increment();
        log.debug("{} not reading its acknowledgements: paused", remote);
        socket.pause();
      }
    } finally {
      chunk.release();
    }
  }

  /** Once per read batch, like Netty's channelReadComplete: one syscall for all the acks of the batch. */
  private void flush() {
    if (unflushed) {
      unflushed = false;
      channel.flush();
      if (vertxMetrics != null) {
        reportAcksWritten();
      }
    }
  }

  /**
   * Acknowledgements bypass the NetSocket, so Vert.x's net-server metrics would not count their bytes: report
   * them, once per read batch and only when metrics are on.
   */
  private void reportAcksWritten() {
    long acks = messages - acksReported;
    acksReported = messages;
    vertxMetrics.reportBytesWritten(acks * resources.acks().bytesPerAck());
  }

  private void onWritable() {
    if (pausedForBackpressure) {
      pausedForBackpressure = false;
      log.debug("{} reading its acknowledgements again: resumed", remote);
      // Not right here: writability often returns inside our own flush at read-complete, where Vert.x would
      // record the resume but not deliver what it holds for us until a next read that never comes.
      context.runOnContext(v -> socket.resume());
    }
  }

  /** The client half-closed and every message before that is acknowledged: close once they are flushed. */
  private void onPeerFinishedSending() {
    if (state != State.CLOSED) {
      close(CloseReason.PEER_CLOSED);
    }
  }

  private void rejectLongLine() {
    resources.counters().overLongLines.increment();
    int max = resources.config().maxLineBytes();
    log.atInfo().setMessage("line too long").addKeyValue("remote", remote).addKeyValue("maxLineBytes", max).log();
    ByteBuf error = Unpooled.copiedBuffer("ERROR line too long: the limit is " + max + " bytes\n",
      StandardCharsets.UTF_8);
    if (vertxMetrics != null) {
      reportAcksWritten();
      vertxMetrics.reportBytesWritten(error.readableBytes());
    }
    channel.write(error, channel.voidPromise());
    close(CloseReason.LINE_TOO_LONG);
  }

  @Override
  public boolean takeReadFlag() {
    boolean read = readSinceSweep;
    readSinceSweep = false;
    return read;
  }

  @Override
  public void closeIdle() {
    // Once: a close waits for the acks already written to flush, and the sweeper may come round again meanwhile.
    if (closeReason == null) {
      resources.counters().idleClosed.increment();
      close(CloseReason.IDLE);
    }
  }

  private void onError(Throwable error) {
    log.debug("{} socket error", remote, error);
    if (closeReason == null) {
      closeReason = CloseReason.ERROR;
    }
  }

  /** Closes after flushing what is already written. */
  private void close(CloseReason reason) {
    if (closeReason == null || closeReason == CloseReason.ERROR) {
      closeReason = reason;
    }
    socket.close();
  }

  private void onClosed() {
    State previous = state;
    state = State.CLOSED;
    resources.counters().open.decrementAndGet();
    resources.counters().connectionsClosed.increment();
    if (previous == State.SERVED) {
      resources.idleSweeper().untrack(this);
      resources.limiter().release();
    } else if (previous == State.QUEUED && !resources.limiter().withdraw(this)) {
      // The slot was handed to us while we closed; admit() will find us closed and pass it on.
      log.debug("{} closed while being admitted", remote);
    }
    if (previous == null) {
      return; // rejected: already logged
    }
    CloseReason reason = closeReason != null ? closeReason
      : draining ? CloseReason.DURING_SHUTDOWN : CloseReason.PEER_CLOSED;
    var line = log.atInfo().setMessage("connection closed")
      .addKeyValue("remote", remote)
      .addKeyValue("bytes", bytes)
      .addKeyValue("messages", messages)
      .addKeyValue("durationMs", (System.nanoTime() - openedNanos) / 1_000_000)
      .addKeyValue("reason", reason.text);
    if (previous == State.QUEUED) {
      line.addKeyValue("served", false);
    }
    line.log();
  }

  /** The two Netty events this connection needs that Vert.x does not pass on; both are passed on unchanged. */
  private final class ChannelEvents extends ChannelInboundHandlerAdapter {

    /** The outbound buffer fell below half of {@code writeQueueMaxBytes}: a paused client may be read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        onWritable();
      }
      ctx.fireChannelWritabilityChanged();
    }

    /**
     * The client shut down its sending side. Netty signals it as an event that overtakes data Vert.x still holds
     * for a paused connection, so it is turned into a message that queues up behind that data.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        if (state == State.QUEUED) {
          // Gone before its turn: it must not hold a place in the queue (we cannot tell a half-close here).
          close(CloseReason.PEER_CLOSED);
        } else {
          ctx.fireChannelRead(PeerFinishedSending.MARKER);
          ctx.fireChannelReadComplete();
        }
      }
      ctx.fireUserEventTriggered(event);
    }
  }

  /** The in-band end of the client's messages. */
  private enum PeerFinishedSending { MARKER }
}
