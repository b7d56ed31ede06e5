package de.ackservice.server;

import de.ackservice.config.Framing;
import de.ackservice.config.OverLimitPolicy;
import de.ackservice.protocol.LineFramer;
import de.ackservice.protocol.MessageFramer;
import de.ackservice.protocol.RawFramer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Log lines are per connection (opened, queued, rejected, closed), never per message, and carry their facts as
 * key-value pairs (remote, bytes, messages, durationMs, reason), which the JSON log format turns into fields.
 */
final class AckConnection implements ConnectionLimiter.Waiter, IdleSweeper.Tracked {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

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
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over.
    socket.shutdownHandler(v -> draining = true);
    socket.handler(this::onData);
    HalfCloseAdapter.keepOpenOnInputEnd(socket, this::onInputEnded);

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
      state = State.QUEUED;
      pause();
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
    if (state != State.SERVED) {
      return;
    }
    answerHeld();
    if (held == null) {
      log.debug("{} reading its acknowledgements again: resumed", remote);
      resume();
    }
  }

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
    held = null;
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
}
