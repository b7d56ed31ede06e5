package de.ackservice.server;

import de.ackservice.config.Framing;
import de.ackservice.config.OverLimitPolicy;
import de.ackservice.netty.VertxNetty;
import de.ackservice.overload.ClientAddressLimiter;
import de.ackservice.overload.Overload;
import de.ackservice.protocol.LineFramer;
import de.ackservice.protocol.MessageFramer;
import de.ackservice.protocol.RawFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection, all of it: admission against the connection limit, framing, answering, backpressure, idle
 * tracking, closing and the log lines. Every method runs on the connection's event loop, except {@link #admit()},
 * which hops onto it.
 *
 * <p>Its bytes come from a Netty handler ({@link PipelineEvents}) that {@link VertxNetty} installs in the socket's
 * pipeline in front of Vert.x's own: measured, this is cheaper than the public {@code NetSocket} API (README
 * "Which connection path ships"). Vert.x keeps the connection's lifecycle (close, shutdown, TLS, PROXY protocol);
 * the bytes never reach its {@code NetSocket}.
 *
 * <p>Hot path, as in Netty's echo example: each read is framed where it landed (line framing scans the bytes in a
 * heap array, or a copy in the verticle's scratch array), answered with slices of the event loop's pooled
 * {@link Acknowledgements} (recycled views: nothing allocated per message) and released; the acknowledgements of a
 * read batch are flushed once, in {@code channelReadComplete}.
 *
 * <p>Backpressure is exact (see {@link #answerHeld()}): a read is answered only as far as the channel's write budget
 * ({@code writeQueueMaxBytes}) allows. The rest of it is held (one read at most) and reading stops until the client
 * has taken its acknowledgements, so memory per connection stays bounded whatever the client sends.
 *
 * <p>Every close the server decides on (idle, slow reader, line too long, limits, the end of the shutdown grace) is
 * bounded: what is already written gets {@link #CLOSE_FLUSH_WAIT_MS} to reach the client, then the connection is
 * reset ({@link SocketAbort}), so a client that does not read cannot hold it.
 *
 * <p>Log lines are per connection (opened, queued, rejected, closed), never per message, and carry their facts as
 * key-value pairs (remote, bytes, messages, durationMs, reason), which the JSON log format turns into fields.
 */
final class AckConnection implements ConnectionLimiter.Waiter, IdleSweeper.Tracked {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  /** A queued connection reads this much at most (to notice its client leaving) before reading stops. */
  static final int QUEUED_READ_LIMIT = 4096;
  /** Bytes counted before they are reported to Vert.x's metrics, which batch their own counts the same way. */
  static final int METRICS_STEP = 4096;
  /** How long a close the server decided on waits for the last written bytes to reach the client before a reset. */
  static final long CLOSE_FLUSH_WAIT_MS = 1000;

  /**
   * In raw framing a read is a message: read big enough that a message arriving at once is one read (as the seed's
   * recv(1024) does), instead of Netty's adaptive guess shrinking to 64 bytes after small messages.
   */
  private static final AdaptiveRecvByteBufAllocator RAW_READS =
    new AdaptiveRecvByteBufAllocator(16 * 1024, 16 * 1024, 64 * 1024);

  private enum State { QUEUED, SERVED, CLOSED }

  private final NetSocket socket;
  private final Context context;
  private final ConnectionResources resources;
  private final String remote;
  private final MessageFramer framer;
  /** Vert.x's byte counters of this connection, or null when metrics are off (see {@link #reportToVertx}). */
  private final VertxNetty.ByteMetrics vertxMetrics;
  private final long openedNanos = System.nanoTime();
  /** Our handler's place in the pipeline: where acknowledgements are written and flushed. */
  private ChannelHandlerContext channel;

  private State state;
  private CloseReason closeReason;
  private boolean draining;
  /** The part of the received bytes not answered yet: the write budget ran out, or the connection is queued. */
  private ByteBuf held;
  private boolean inputEnded;
  private boolean unflushed;
  private boolean readSinceSweep;
  private long bytes;
  private long messages;
  private long bytesReported;
  private long messagesReported;
  /** The client's host (the PROXY header's when on), holding a per-client slot; null when it holds none. */
  private String clientSlot;
  /** Timer of the slow-reader eviction while acknowledgements wait for the client (-1: none). */
  private long stallTimer = -1;
  /** Timer of the reset that bounds a close (-1: none). */
  private long abortTimer = -1;
  private long abortAtNanos;

  AckConnection(NetSocket socket, ConnectionResources resources) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.resources = resources;
    this.remote = String.valueOf(socket.remoteAddress());
    this.framer = resources.config().framing() == Framing.LINE
      ? new LineFramer(resources.config().maxLineBytes()) : new RawFramer();
    this.vertxMetrics = VertxNetty.byteMetrics(socket);
  }

  /** Called by the connect handler: installs the handler, then serves, queues or rejects the connection. */
  void open() {
    resources.counters().connectionsOpened.increment();
    resources.counters().open.incrementAndGet();
    resources.instance().opened();
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over (a close that
    // waits for a flush, hence the reset a bounded time after it).
    socket.shutdownHandler(v -> {
      draining = true;
      abortAfter(resources.config().shutdownGraceMs() + CLOSE_FLUSH_WAIT_MS);
    });
    // Backpressure threshold: the channel becomes unwritable above it, and answering stops there.
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    // Half-closure: a client may send its last messages and shut down its side before reading the acks; keep the
    // connection open until they are written instead of letting Netty close it and drop them.
    channel = VertxNetty.insertBeforeVertx(socket, "ack", new PipelineEvents(), true,
      resources.config().framing() == Framing.RAW ? RAW_READS : null);

    // ---- admission: overload (memory pressure, per-client limit), then served now, queued until a slot is free
    // (within maxQueuedConnections), or rejected ----
    if (!admittedByOverload()) {
      return;
    }
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
      // Not answered until its turn; it sees the seed's single-user behaviour. It reads a little (to notice its
      // client leaving) and then stops reading, see onRead.
      if (!limiter.enqueue(this)) {
        resources.counters().queueFullRejected.increment();
        log.atInfo().setMessage("connection rejected")
          .addKeyValue("remote", remote)
          .addKeyValue("reason", CloseReason.QUEUE_FULL.text)
          .addKeyValue("maxQueuedConnections", resources.config().maxQueuedConnections())
          .log();
        close(CloseReason.QUEUE_FULL);
        return;
      }
      state = State.QUEUED;
      resources.counters().queued.increment();
      log.atInfo().setMessage("connection queued")
        .addKeyValue("remote", remote)
        .addKeyValue("limit", resources.config().maxConnections())
        .addKeyValue("waiting", limiter.queued())
        .log();
    }
  }

  /** Memory pressure and the per-client limit: a refused connection is closed at once, logged and counted. */
  private boolean admittedByOverload() {
    String host = ClientAddressLimiter.hostOf(socket.remoteAddress());
    Overload.Admission admission = resources.overload().admit(host);
    if (admission == Overload.Admission.ADMITTED) {
      clientSlot = host;
      return true;
    }
    var line = log.atInfo().setMessage("connection rejected").addKeyValue("remote", remote)
      .addKeyValue("reason", admission.reason);
    if (admission == Overload.Admission.CLIENT_LIMIT) {
      line.addKeyValue("limit", resources.config().maxConnectionsPerClient());
    }
    line.log();
    close(CloseReason.OVERLOAD);
    return false;
  }
  // ---- end of admission ----

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
    if (held != null) {
      answerHeld(); // what it sent while queued
      flush();
    }
    if (held == null) {
      readAgain();
      if (inputEnded) {
        close(CloseReason.PEER_CLOSED);
      }
    }
  }

  private void onRead(ByteBuf chunk) {
    readSinceSweep = true;
    if (framer.overLimit()) {
      // Closing after an over-long line: count what still arrives, answer nothing.
      countReceived(chunk.readableBytes());
      chunk.release();
      return;
    }
    if (held == null) {
      held = chunk;
    } else {
      // Rare: a read that was already under way when we stopped reading.
      CompositeByteBuf both = channel.alloc().compositeBuffer(2);
      held = both.addComponents(true, held, chunk);
    }
    if (state == State.SERVED) {
      answerHeld();
    } else if (held.readableBytes() >= QUEUED_READ_LIMIT) {
      stopReading();
    }
  }

  /**
   * Answers the held bytes as far as the write budget allows. Backpressure point: when the budget runs out before
   * the bytes do, the client is not reading its acknowledgements; the rest is held and reading stops until the
   * channel is writable again ({@link #onWritable()}).
   */
  private void answerHeld() {
    ByteBuf chunk = held;
    if (log.isDebugEnabled()) {
      log.debug("{} sent {}", remote, PayloadLog.render(chunk));
    }
    int before = chunk.readerIndex();
    int budget = resources.acks().fitting(channel.channel().bytesBeforeUnwritable());
    int answered = budget > 0 ? frame(chunk, budget) : 0;
    countReceived(chunk.readerIndex() - before);
    if (answered > 0) {
      resources.acks().write(channel, answered);
      unflushed = true;
      messages += answered;
      resources.counters().messages.add(answered);
    }
    if (framer.overLimit()) {
      releaseHeld();
      lineTooLong();
    } else if (chunk.isReadable()) {
      resources.counters().backpressurePauses.increment();
      log.debug("{} not reading its acknowledgements: paused", remote);
      stopReading();
      startStallClock(); // BACKPRESSURE POINT: acknowledgements now wait for the client
    } else {
      releaseHeld();
      if (!channel.channel().config().isAutoRead()) {
        log.debug("{} reading its acknowledgements again: resumed", remote);
        readAgain();
      }
      if (inputEnded) {
        close(CloseReason.PEER_CLOSED); // everything it sent is answered, and close() flushes the answers
      }
    }
  }

  /**
   * Frames {@code chunk}'s readable bytes up to the end of its {@code maxMessages}-th message and moves its reader
   * index there. The framers work on byte arrays (protocol/ knows no Netty): a heap buffer is scanned in place, a
   * direct one (Netty's default) in copies of up to 64 KiB, one memory copy per read; raw framing reads no bytes.
   */
  private int frame(ByteBuf chunk, int maxMessages) {
    if (!framer.inspectsBytes()) {
      int completed = framer.consume(null, chunk.readerIndex(), chunk.writerIndex(), maxMessages);
      chunk.readerIndex(framer.position());
      return completed;
    }
    if (chunk.hasArray()) {
      int offset = chunk.arrayOffset();
      int completed = framer.consume(chunk.array(), offset + chunk.readerIndex(), offset + chunk.writerIndex(),
        maxMessages);
      chunk.readerIndex(framer.position() - offset);
      return completed;
    }
    byte[] scratch = resources.scratch();
    int completed = 0;
    while (chunk.isReadable() && completed < maxMessages && !framer.overLimit()) {
      int piece = Math.min(chunk.readableBytes(), scratch.length);
      chunk.getBytes(chunk.readerIndex(), scratch, 0, piece);
      completed += framer.consume(scratch, 0, piece, maxMessages - completed);
      chunk.skipBytes(framer.position());
    }
    return completed;
  }

  /** Once per read batch: one syscall for all the acknowledgements of the batch. */
  private void flush() {
    if (unflushed) {
      unflushed = false;
      channel.flush();
    }
    if (vertxMetrics != null && (bytes - bytesReported >= METRICS_STEP
      || (messages - messagesReported) * resources.acks().bytesPerAck() >= METRICS_STEP)) {
      reportToVertx(0);
    }
  }

  /** The client has taken enough of its acknowledgements: answer what is held, which reads again when it is all. */
  private void onWritable() {
    stopStallClock(); // BACKPRESSURE POINT: the client took its acknowledgements (answerHeld may pause it again)
    if (state == State.SERVED && held != null) {
      answerHeld();
      flush();
    }
  }

  // ---- slow-reader eviction (writeStallTimeoutMs): a clock that runs while acknowledgements wait for the client ----

  private void startStallClock() {
    int timeoutMs = resources.config().writeStallTimeoutMs();
    if (timeoutMs > 0 && stallTimer < 0) {
      stallTimer = context.owner().setTimer(timeoutMs, id -> {
        stallTimer = -1;
        slowReader();
      });
    }
  }

  private void stopStallClock() {
    if (stallTimer >= 0) {
      context.owner().cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  private void slowReader() {
    if (state == State.SERVED && closeReason == null) {
      resources.counters().slowReaders.increment();
      close(CloseReason.SLOW_READER);
    }
  }
  // ---- end of slow-reader eviction ----

  private void stopReading() {
    channel.channel().config().setAutoRead(false);
  }

  private void readAgain() {
    channel.channel().config().setAutoRead(true);
  }

  /** The client shut down its sending side: close once everything it sent is answered. */
  private void onInputEnded() {
    inputEnded = true;
    if (state == State.QUEUED) {
      close(CloseReason.PEER_CLOSED); // it left before its turn
    } else if (state == State.SERVED && held == null) {
      close(CloseReason.PEER_CLOSED); // everything it sent is answered, and close() flushes the answers
    }
  }

  private void lineTooLong() {
    resources.counters().linesTooLong.increment();
    int max = resources.config().maxLineBytes();
    log.atInfo().setMessage("line too long").addKeyValue("remote", remote).addKeyValue("maxLineBytes", max).log();
    ByteBuf error = Unpooled.copiedBuffer("ERROR line too long: the limit is " + max + " bytes\n",
      StandardCharsets.UTF_8);
    reportToVertx(error.readableBytes());
    unflushed = false;
    channel.writeAndFlush(error, channel.voidPromise());
    close(CloseReason.LINE_TOO_LONG);
  }

  private void countReceived(int count) {
    bytes += count;
    resources.counters().bytesReceived.add(count);
  }

  /**
   * Tells Vert.x's metrics the bytes read and acknowledgement bytes written since the last report, plus
   * {@code otherBytesWritten} (an error line): they bypass Vert.x's handler, which would otherwise count them. In
   * steps of {@value #METRICS_STEP} bytes (as Vert.x does) and the rest before Vert.x settles the connection's
   * counts at close.
   */
  private void reportToVertx(int otherBytesWritten) {
    if (vertxMetrics == null) {
      return;
    }
    vertxMetrics.bytesRead(bytes - bytesReported);
    vertxMetrics.bytesWritten((messages - messagesReported) * resources.acks().bytesPerAck() + otherBytesWritten);
    bytesReported = bytes;
    messagesReported = messages;
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public boolean takeReadFlag() {
    // Served with bytes held, its acknowledgements wait for it (backpressure): not idle (writeStallTimeoutMs is for
    // that case).
    boolean read = readSinceSweep || (state == State.SERVED && held != null);
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

  /**
   * Closes after flushing what is already written, or with a reset when the client has not taken it within
   * {@link #CLOSE_FLUSH_WAIT_MS}. A client that half-closed chose the end itself and may still be reading its
   * acknowledgements at its own pace: it gets writeStallTimeoutMs for them, like any reader (none when that is off).
   */
  private void close(CloseReason reason) {
    if (closeReason == null || closeReason == CloseReason.ERROR) {
      closeReason = reason;
    }
    socket.close();
    if (reason != CloseReason.PEER_CLOSED) {
      abortAfter(CLOSE_FLUSH_WAIT_MS);
    } else if (resources.config().writeStallTimeoutMs() > 0) {
      abortAfter(resources.config().writeStallTimeoutMs());
    }
  }

  /** Resets the connection if it is still open after {@code delayMs}: every close the server decides is bounded. */
  private void abortAfter(long delayMs) {
    long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
    if (state == State.CLOSED || (abortTimer >= 0 && at - abortAtNanos >= 0)) {
      return; // an earlier reset is already due
    }
    if (abortTimer >= 0) {
      context.owner().cancelTimer(abortTimer);
    }
    abortAtNanos = at;
    abortTimer = context.owner().setTimer(delayMs, id -> {
      abortTimer = -1;
      if (state != State.CLOSED) {
        resources.counters().closesAborted.increment();
        log.debug("{} did not take its last bytes in time: reset", remote);
        resources.abort().abort(socket);
      }
    });
  }

  private void onClosed() {
    State previous = state;
    state = State.CLOSED;
    // ---- release: the close path's bookkeeping of the overload defences ----
    stopStallClock();
    if (abortTimer >= 0) {
      context.owner().cancelTimer(abortTimer);
      abortTimer = -1;
    }
    if (clientSlot != null) {
      resources.overload().release(clientSlot);
      clientSlot = null;
    }
    resources.instance().closed();
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

  /**
   * The connection's ears in the Netty pipeline: it only translates Netty's events into the connection's, so that
   * the state stays in one place and Netty's handler methods do not become the connection's API. Reads are consumed
   * here (never passed on to Vert.x); every other event continues to Vert.x's handler.
   */
  private final class PipelineEvents extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf chunk) {
        onRead(chunk);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      flush();
      resources.spin().activity(ctx.channel().eventLoop());
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        onWritable();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        onInputEnded();
      }
      ctx.fireUserEventTriggered(event);
    }

    /** Before Vert.x's own handler settles the connection's byte counts: the rest of ours goes in first. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      reportToVertx(0);
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      releaseHeld();
    }
  }
}
