package de.ackservice.bench;

import de.ackservice.Causes;
import de.ackservice.protocol.AnswerMatcher;
import de.ackservice.netty.VertxNetty;
import de.ackservice.protocol.AnswerSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One connection of the load: connects, then keeps {@code depth} messages in flight (1 = stop-and-wait) until the
 * {@link RunSchedule} says stop and every message has its answer. It times each message from send to answer,
 * counts what it receives exactly and records it in its event loop's {@link RunStats}. All its methods run on
 * that event loop.
 *
 * <p>It works one level below {@code NetSocket.handler/write}, through {@link VertxNetty#readBatches}, so as
 * not to be the bottleneck it measures: received bytes are matched in Netty's buffer where they landed (no copy,
 * no queue), the replies to one read batch are written with no future per write and flushed once when the batch
 * is over, as a Netty handler would.
 */
final class ConnectionDriver implements AnswerSink {

  private enum State { CONNECTING, READY, RUNNING, DONE, FAILED }

  private final LoadWorker worker;
  private final RunStats stats;
  private final RunSchedule schedule;
  private final Messages messages;
  private final AnswerMatcher matcher;
  private final int depth;
  /** Ring of the messages in flight, oldest at {@code head}: when each was sent and whether it is measured. */
  private final long[] sentAt;
  private final boolean[] measured;
  private int head;
  private int inFlight;

  private State state = State.CONNECTING;
  private NetSocket socket;
  private ChannelHandlerContext channel;
  private boolean readSinceFlush;
  private boolean sendingStopped;
  private boolean broken;
  private long chunkNanos;
  private String socketError;

  ConnectionDriver(LoadWorker worker, AnswerMatcher matcher, int depth) {
    this.worker = worker;
    this.stats = worker.stats();
    this.schedule = worker.schedule();
    this.messages = worker.messages();
    this.matcher = matcher;
    this.depth = depth;
    this.sentAt = new long[depth];
    this.measured = new boolean[depth];
  }

  void connect(NetClient client, String host, int port) {
    client.connect(port, host).onComplete(connected -> {
      if (connected.succeeded()) {
        onConnected(connected.result());
      } else {
        stats.connectFailed++;
        stats.error("connect to " + host + ":" + port + ": " + describe(connected.cause()));
        state = State.FAILED;
        worker.connectAttemptDone(false);
      }
    });
  }

  private void onConnected(NetSocket connected) {
    socket = connected;
    channel = VertxNetty.readBatches(connected, this::onMessage, v -> onReadBatchComplete());
    socket.exceptionHandler(error -> socketError = describe(error));
    socket.closeHandler(v -> onClosed());
    state = State.READY;
    worker.connectAttemptDone(true);
  }

  /** The ramp is over: start sending. */
  void startTraffic() {
    if (state == State.READY) {
      state = State.RUNNING;
      sendMore(System.nanoTime());
      channel.flush();
    }
  }

  private void onMessage(Object message) {
    try {
      if (state == State.FAILED || !(message instanceof ByteBuf chunk)) {
        return; // closing: what it still receives is not counted
      }
      // One clock reading per chunk: it is the answer time of every answer in it and the send time of the
      // messages sent in reply, so an answer's latency includes our own processing, never less than the truth.
      chunkNanos = System.nanoTime();
      matcher.feed(chunk, this);
      readSinceFlush = true;
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  /** The transport has delivered what one read batch brought: reply to all of it with one flush. */
  private void onReadBatchComplete() {
    if (!readSinceFlush) {
      return;
    }
    readSinceFlush = false;
    if (broken) {
      if (state != State.FAILED) {
        fail();
      }
    } else if (state == State.RUNNING) {
      sendMore(chunkNanos);
      channel.flush();
    }
  }

  @Override
  public boolean answer(boolean ack, int bytes) {
    if (inFlight == 0) {
      protocolError(bytes, "an answer arrived with no message in flight");
      return false;
    }
    long sent = sentAt[head];
    boolean measuredMessage = measured[head];
    if (++head == depth) {
      head = 0;
    }
    inFlight--;
    if (ack) {
      stats.acksTotal++;
      if (measuredMessage) {
        stats.acks++;
        stats.recordLatency(chunkNanos - sent);
      }
    } else {
      stats.wrongAnswers++;
      stats.unexpectedBytes += bytes;
      stats.error("a line that is not the acknowledgement");
    }
    if (measuredMessage) {
      stats.measuredAnswerAt(chunkNanos);
    }
    return true;
  }

  @Override
  public void garbage(int bytes) {
    protocolError(bytes, "bytes that are not the acknowledgement");
  }

  private void protocolError(int bytes, String description) {
    stats.unexpectedBytes += bytes;
    if (!broken) {
      broken = true;
      stats.wrongAnswers++;
      stats.error(description);
    }
  }

  private void sendMore(long nowNanos) {
    int count = 0;
    while (!sendingStopped && inFlight < depth) {
      RunSchedule.Admission admission = schedule.admit(nowNanos);
      if (admission == RunSchedule.Admission.STOP) {
        sendingStopped = true;
        break;
      }
      int slot = head + inFlight;
      if (slot >= depth) {
        slot -= depth;
      }
      sentAt[slot] = nowNanos;
      measured[slot] = admission == RunSchedule.Admission.MEASURED;
      inFlight++;
      count++;
    }
    if (count > 0) {
      channel.write(messages.batch(channel.alloc(), count), channel.voidPromise());
    }
    if (sendingStopped && inFlight == 0) {
      state = State.DONE;
      worker.connectionEnded();
    }
  }

  /** Called periodically by the worker: a message waiting longer than the timeout ends the connection. */
  void checkStalled(long nowNanos, long timeoutNanos) {
    if (state == State.RUNNING && inFlight > 0 && nowNanos - sentAt[head] > timeoutNanos) {
      stats.timedOut++;
      stats.error("no answer within " + timeoutNanos / 1_000_000 + " ms"
        + (matcher.partial() ? " (part of one arrived)" : ""));
      stats.unanswered += inFlight;
      state = State.FAILED;
      worker.connectionEnded();
      socket.close();
    }
  }

  private void fail() {
    boolean wasActive = state == State.READY || state == State.RUNNING;
    stats.broken++;
    stats.unanswered += inFlight;
    state = State.FAILED;
    if (wasActive) {
      worker.connectionEnded();
    }
    socket.close();
  }

  private void onClosed() {
    if (state == State.READY || state == State.RUNNING) {
      stats.lost++;
      stats.unanswered += inFlight;
      stats.error("connection closed by the server" + (socketError == null ? "" : ": " + socketError)
        + (inFlight > 0 ? " with " + inFlight + " message(s) unanswered" : ""));
      state = State.FAILED;
      worker.connectionEnded();
    }
  }

  private static String describe(Throwable error) {
    return Causes.describe(error);
  }
}
