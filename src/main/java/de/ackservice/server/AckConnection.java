package de.ackservice.server;

import de.ackservice.config.Framing;
import de.ackservice.config.OverLimitPolicy;
import de.ackservice.overload.ClientAddressLimiter;
import de.ackservice.overload.Overload;
import de.ackservice.protocol.LineFramer;
import de.ackservice.protocol.MessageFramer;
import de.ackservice.protocol.RawFramer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One client connection, all of it: admission against the connection limit, framing, answering, backpressure, idle
 * tracking, closing and the log lines. It uses the socket's public API only (the one exception, half-close, is
 * {@link HalfCloseAdapter}). Every method runs on the connection's event loop, except {@link #admit()}, which hops
 * onto it.
 *
 * <p>Hot path: each received buffer is framed (line framing scans a copy of it in the verticle's scratch array) and
 * answered with ONE write of as many acknowledgements as it completed messages, a slice of the verticle's
 * pre-built acknowledgements; nothing is allocated per message.
 *
 * <p>Backpressure is bounded: a buffer is answered in writes of at most {@code writeQueueMaxBytes} of
 * acknowledgements, and when the write queue is full the rest of the buffer is held (one read at most), reading is
 * paused, and answering resumes on drain. So memory per connection stays bounded whatever the client sends.
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

  /** How long a close the server decided on waits for the last written bytes to reach the client before a reset. */
  static final long CLOSE_FLUSH_WAIT_MS = 1000;

  private enum State { QUEUED, SERVED, CLOSED }

  private final NetSocket socket;
  private final Context context;
  private final ConnectionResources resources;
  private final String remote;
  private final MessageFramer framer;
  /** Acknowledgements written at most per write: the write queue's limit, so that the limit holds. */
  private final int acksPerWrite;
  private final long openedNanos = System.nanoTime();

  private State state;
  private CloseReason closeReason;
  private boolean draining;
  /** A received buffer not yet fully answered (the write queue filled up), and where its unanswered part starts. */
  private Buffer held;
  private int heldFrom;
  private boolean paused;
  private boolean inputEnded;
  private boolean readSinceSweep;
  private long bytes;
  private long messages;
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
    this.acksPerWrite = resources.acks().fitting(resources.config().writeQueueMaxBytes());
  }

  /** Called by the connect handler: registers the socket's handlers, then serves, queues or rejects it. */
  void open() {
    resources.counters().connectionsOpened.increment();
    resources.counters().open.incrementAndGet();
    resources.instance().opened();
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over (a close that
    // waits for a flush, hence the reset a bounded time after it).
    socket.shutdownHandler(v -> {
      draining = true;
      abortAfter(resources.config().shutdownGraceMs() + CLOSE_FLUSH_WAIT_MS);
    });
    socket.handler(this::onData);
    HalfCloseAdapter.keepOpenOnInputEnd(socket, this::onInputEnded);

    // ---- admission: overload (memory pressure, per-client limit), then the connection limit and its queue ----
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
      // Not answered until its turn; it sees the seed's single-user behaviour. Paused, Vert.x reads only a few
      // buffers ahead and then stops reading, yet still notices the client leaving (end of input, reset).
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
      pause();
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
        resume();
      }
    });
  }

  private void serve() {
    state = State.SERVED;
    resources.idleSweeper().track(this);
    log.atInfo().setMessage("connection opened").addKeyValue("remote", remote).log();
  }

  private void onData(Buffer received) {
    readSinceSweep = true;
    if (log.isDebugEnabled()) {
      log.debug("{} sent {}", remote, PayloadLog.render(received));
    }
    if (held != null) {
      // Not expected (we pause before holding); keep order and lose nothing if it happens.
      held = held.slice(heldFrom, held.length()).copy().appendBuffer(received);
      heldFrom = 0;
      return;
    }
    held = received;
    heldFrom = 0;
    answerHeld();
  }

  /** Answers the held buffer as far as the write queue allows; pauses reading when it does not allow all of it. */
  private void answerHeld() {
    Buffer buffer = held;
    int end = buffer.length();
    byte[] scratch = resources.scratch();
    int due = 0;
    while (heldFrom < end) {
      if (due == 0 && socket.writeQueueFull()) {
        // The client is not reading its acknowledgements: hold the rest, stop reading until it drains. Checked
        // before writing, so that every acknowledgement goes straight to the connection, none waits in a queue.
        resources.counters().backpressurePauses.increment();
        log.debug("{} not reading its acknowledgements: paused", remote);
        pause();
        startStallClock(); // BACKPRESSURE POINT: acknowledgements now wait for the client
        socket.drainHandler(v -> onDrained());
        return;
      }
      int consumedTo;
      int completed;
      if (framer.inspectsBytes()) {
        int pieceEnd = Math.min(end, heldFrom + scratch.length);
        buffer.getBytes(heldFrom, pieceEnd, scratch, 0);
        completed = framer.consume(scratch, 0, pieceEnd - heldFrom, acksPerWrite - due);
        consumedTo = heldFrom + framer.position();
      } else {
        completed = framer.consume(null, heldFrom, end, acksPerWrite - due);
        consumedTo = framer.position();
      }
      resources.counters().bytesReceived.add(consumedTo - heldFrom);
      bytes += consumedTo - heldFrom;
      heldFrom = consumedTo;
      due += completed;
      if (framer.overLimit()) {
        answer(due);
        held = null;
        lineTooLong();
        return;
      }
      if (due == acksPerWrite || heldFrom == end) {
        answer(due);
        due = 0;
      }
    }
    held = null;
  }

  private void answer(int count) {
    if (count > 0) {
      socket.write(resources.acks().times(count));
      messages += count;
      resources.counters().messages.add(count);
    }
  }

  /** The client has taken enough of its acknowledgements: answer what is held, then read again. */
  private void onDrained() {
    socket.drainHandler(null);
    stopStallClock(); // BACKPRESSURE POINT: the client took its acknowledgements (answerHeld may pause it again)
    if (state != State.SERVED) {
      return;
    }
    answerHeld();
    if (held == null) {
      log.debug("{} reading its acknowledgements again: resumed", remote);
      resume();
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

  private void pause() {
    paused = true;
    socket.pause();
  }

  /** Reads again; Vert.x hands over what it read meanwhile at once, which may pause us again. */
  private void resume() {
    paused = false;
    socket.resume();
    if (inputEnded && !paused && held == null && state == State.SERVED) {
      close(CloseReason.PEER_CLOSED);
    }
  }

  /** The client shut down its sending side: close once everything it sent is answered. */
  private void onInputEnded() {
    inputEnded = true;
    if (state == State.QUEUED) {
      close(CloseReason.PEER_CLOSED); // it left before its turn
    } else if (state == State.SERVED && !paused && held == null) {
      close(CloseReason.PEER_CLOSED); // everything it sent is answered, and close() flushes the answers
    }
  }

  private void lineTooLong() {
    resources.counters().linesTooLong.increment();
    int max = resources.config().maxLineBytes();
    log.atInfo().setMessage("line too long").addKeyValue("remote", remote).addKeyValue("maxLineBytes", max).log();
    socket.write(Buffer.buffer("ERROR line too long: the limit is " + max + " bytes\n"));
    close(CloseReason.LINE_TOO_LONG);
  }

  @Override
  public boolean takeReadFlag() {
    // Paused for backpressure, its acknowledgements wait for it: not idle (writeStallTimeoutMs is for that case).
    boolean read = readSinceSweep || paused;
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
    held = null;
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
    resources.counters().open.decrementAndGet();
    resources.instance().closed();
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
}
