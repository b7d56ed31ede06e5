package de.ackservice.server;

import de.ackservice.config.Framing;
import de.ackservice.config.OverLimitPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * One client connection's lifecycle: admission against the connection limit, idle tracking, closing and the log
 * lines. The bytes themselves are handled by its {@link AckHandler} in the channel pipeline. Every method runs on
 * the connection's event loop, except {@link #admit()}, which hops onto it.
 *
 * <p>Log lines are per connection (opened, queued, rejected, closed), never per message, and carry their facts as
 * key-value pairs (remote, bytes, messages, durationMs, reason), which the JSON log format turns into fields.
 */
final class AckConnection implements ConnectionLimiter.Waiter, IdleSweeper.Tracked, AckHandler.Listener {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  /**
   * In raw framing a read is a message: read big enough that a message arriving at once is one read (as the seed's
   * recv(1024) does), instead of Netty's adaptive guess shrinking to 64 bytes after small messages.
   */
  private static final AdaptiveRecvByteBufAllocator RAW_READS =
    new AdaptiveRecvByteBufAllocator(16 * 1024, 16 * 1024, 64 * 1024);

  private enum State { QUEUED, SERVED, CLOSED }

  private final NetSocketInternal socket;
  private final ChannelHandlerContext channel;
  private final Context context;
  private final ConnectionResources resources;
  private final String remote;
  private final AckHandler handler;
  private final long openedNanos = System.nanoTime();

  private State state;
  private CloseReason closeReason;
  private boolean draining;

  AckConnection(NetSocket socket, ConnectionResources resources) {
    this.socket = (NetSocketInternal) socket;
    this.channel = this.socket.channelHandlerContext();
    this.context = Vertx.currentContext();
    this.resources = resources;
    this.remote = String.valueOf(socket.remoteAddress());
    MessageFramer framer = MessageFramer.create(resources.config().framing(), resources.config().maxLineBytes());
    // Vert.x's byte counters for this connection when metrics are on: the handler reports to them (see there).
    ConnectionBase vertxMetrics = socket instanceof ConnectionBase base && base.metrics() != null ? base : null;
    this.handler = new AckHandler(framer, resources.acks(), resources.counters(), this, remote, vertxMetrics);
  }

  /** Called by the connect handler: registers the socket's handlers, then serves, queues or rejects it. */
  void open() {
    resources.counters().connectionsOpened.increment();
    resources.counters().open.incrementAndGet();
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over.
    socket.shutdownHandler(v -> draining = true);
    configureChannel();
    channel.pipeline().addBefore(channel.name(), "ack", handler);

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
      // Not answered until its turn; it sees the seed's single-user behaviour.
      state = State.QUEUED;
      resources.counters().queued.increment();
      limiter.enqueue(this);
      log.atInfo().setMessage("connection queued")
        .addKeyValue("remote", remote)
        .addKeyValue("limit", resources.config().maxConnections())
        .addKeyValue("waiting", limiter.queued())
        .log();
    }
  }

  private void configureChannel() {
    ChannelConfig config = channel.channel().config();
    // Backpressure threshold: the handler answers only while the channel is below it.
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    // A client may send its last messages and shut down its side (half-close) before reading the acks: keep the
    // connection open until they are written instead of letting Netty close it and drop them.
    config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    if (resources.config().framing() == Framing.RAW) {
      config.setRecvByteBufAllocator(RAW_READS);
    }
  }

  @Override
  public void admit() {
    context.runOnContext(v -> {
      if (state == State.CLOSED) {
        resources.limiter().release();
      } else {
        serve();
      }
    });
  }

  private void serve() {
    state = State.SERVED;
    resources.idleSweeper().track(this);
    log.atInfo().setMessage("connection opened").addKeyValue("remote", remote).log();
    handler.startServing(channel.pipeline().context(handler));
  }

  @Override
  public void peerFinishedSending() {
    if (state != State.CLOSED) {
      // Served: everything it sent is answered and close() flushes it. Queued: it left before its turn.
      close(CloseReason.PEER_CLOSED);
    }
  }

  @Override
  public void lineTooLong() {
    resources.counters().overLongLines.increment();
    int max = resources.config().maxLineBytes();
    log.atInfo().setMessage("line too long").addKeyValue("remote", remote).addKeyValue("maxLineBytes", max).log();
    ByteBuf error = Unpooled.copiedBuffer("ERROR line too long: the limit is " + max + " bytes\n",
      StandardCharsets.UTF_8);
    handler.reportToVertx(error.readableBytes());
    channel.write(error, channel.voidPromise());
    close(CloseReason.LINE_TOO_LONG);
  }

  @Override
  public boolean takeReadFlag() {
    return handler.takeReadFlag();
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
      .addKeyValue("bytes", handler.bytes())
      .addKeyValue("messages", handler.messages())
      .addKeyValue("durationMs", (System.nanoTime() - openedNanos) / 1_000_000)
      .addKeyValue("reason", reason.text);
    if (previous == State.QUEUED) {
      line.addKeyValue("served", false);
    }
    line.log();
  }
}
