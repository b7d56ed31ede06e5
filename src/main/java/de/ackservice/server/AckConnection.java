package de.ackservice.server;

import de.ackservice.config.OverLimitPolicy;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * One client connection: admission against the connection limit, framing, acknowledgement, backpressure, idle
 * tracking and the close log line. Every method runs on the connection's event loop, except
 * {@link #admit()}, which hops onto it.
 */
final class AckConnection implements ConnectionLimiter.Waiter, IdleSweeper.Tracked {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  private enum State { QUEUED, SERVED, CLOSED }

  private final NetSocket socket;
  private final Context context;
  private final ConnectionResources resources;
  private final MessageFramer framer;
  private final String remote;
  private final long openedNanos = System.nanoTime();

  private State state;
  private CloseReason closeReason;
  private boolean readSinceSweep;
  private boolean pausedForBackpressure;
  private boolean draining;
  private long bytes;
  private long messages;

  AckConnection(NetSocket socket, ConnectionResources resources) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.resources = resources;
    this.framer = MessageFramer.create(resources.config().framing(), resources.config().maxLineBytes());
    this.remote = String.valueOf(socket.remoteAddress());
  }

  /** Called by the connect handler: registers the socket's handlers, then serves, queues or rejects it. */
  void open() {
    resources.counters().connectionsOpened.increment();
    resources.counters().open.incrementAndGet();
    socket.setWriteQueueMaxSize(resources.config().writeQueueMaxBytes());
    socket.handler(this::onData);
    socket.drainHandler(v -> onWriteQueueDrained());
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
    // Nothing to do on shutdown but keep serving: the server closes us when the grace period is over.
    socket.shutdownHandler(v -> draining = true);

    ConnectionLimiter limiter = resources.limiter();
    if (limiter.tryAcquire()) {
      serve();
    } else if (resources.config().overLimitPolicy() == OverLimitPolicy.REJECT) {
      resources.counters().rejected.increment();
      log.info("connection rejected remote={} limit={}", remote, resources.config().maxConnections());
      close(CloseReason.REJECTED);
    } else {
      // Held unread: its bytes wait in the kernel, and the client sees the seed's single-user behaviour.
      state = State.QUEUED;
      socket.pause();
      resources.counters().queued.increment();
      limiter.enqueue(this);
      log.info("connection queued remote={} limit={} waiting={}", remote, resources.config().maxConnections(),
        limiter.queued());
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
    log.info("connection opened remote={}", remote);
  }

  private void onData(Buffer chunk) {
    if (state != State.SERVED) {
      return;
    }
    readSinceSweep = true;
    bytes += chunk.length();
    resources.counters().bytesReceived.add(chunk.length());
    if (log.isDebugEnabled()) {
      log.debug("{} sent {}", remote, PayloadLog.render(chunk));
    }
    int received = framer.messagesIn(chunk);
    if (received > 0) {
      resources.acks().write(socket, received);
      messages += received;
      resources.counters().messages.add(received);
    }
    if (framer.overLimit()) {
      rejectLongLine();
    } else if (socket.writeQueueFull()) {
      // The client is not reading its acknowledgements: stop reading its messages until it does, so what we
      // buffer for it stays bounded by the write queue size instead of growing with what it sends.
      pausedForBackpressure = true;
      resources.counters().backpressurePauses.increment();
      log.debug("{} not reading its acknowledgements: paused", remote);
      socket.pause();
    }
  }

  private void onWriteQueueDrained() {
    if (pausedForBackpressure) {
      pausedForBackpressure = false;
      log.debug("{} reading its acknowledgements again: resumed", remote);
      socket.resume();
    }
  }

  private void rejectLongLine() {
    resources.counters().overLongLines.increment();
    int max = resources.config().maxLineBytes();
    log.info("line too long remote={} maxLineBytes={}", remote, max);
    socket.write(Buffer.buffer(("ERROR line too long: the limit is " + max + " bytes\n")
      .getBytes(StandardCharsets.UTF_8)));
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
    resources.counters().idleClosed.increment();
    close(CloseReason.IDLE);
  }

  private void onError(Throwable error) {
    log.debug("{} socket error", remote, error);
    if (closeReason == null) {
      closeReason = CloseReason.ERROR;
    }
  }

  /** Closes after what is already written has been flushed. */
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
    log.info("connection closed remote={} bytes={} messages={} durationMs={} reason={}{}", remote, bytes, messages,
      (System.nanoTime() - openedNanos) / 1_000_000, reason.text, previous == State.QUEUED ? " (never served)" : "");
  }
}
