package de.ackservice.client;

import de.ackservice.Causes;
import de.ackservice.config.ClientConfig;
import de.ackservice.config.Framing;
import de.ackservice.netty.VertxNetty;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The conversation with the server, on the event loop: sends the lines the {@link StdinReader} hands over while the
 * window has room, matches replies to lines in order, times out a line whose reply does not come, and decides the
 * exit status. Every line sent ends either with its reply printed or counted in the error message.
 *
 * <p>Raw framing has no delimiter: a reply is complete when as many bytes as the acknowledgement has have arrived,
 * and the window is one line (stop-and-wait), so replies never merge. Line framing sends {@code line + "\n"},
 * keeps up to {@code clientWindow} lines in flight and reads one reply per {@code \n}.
 *
 * <p>With {@code clientReconnect} (line framing only) a lost connection is not the end: the lines in flight go back
 * in front of the unsent ones, and after a pause (exponential, capped) a new connection is tried; on success those
 * lines are sent again, in order. The replies that came on the lost connection stay printed and a line is taken off
 * the in-flight list only by its reply, so each input line still gets exactly one reply line, in order; the server
 * may read a resent line twice (at least once delivery). A reply resets the count of attempts.
 */
final class ClientSession {

  /** Longest reply line accepted in line framing: far above any acknowledgement or error line. */
  private static final int MAX_REPLY_LINE_BYTES = 64 * 1024;
  /** Replies gathered before the printer is woken while more lines are ready to send. */
  static final int PRINT_BATCH = 64;

  private enum State {
    CONNECTED,
    /** The connection is lost and {@code clientReconnect} is on: waiting for the next attempt or its result. */
    RECONNECTING,
    /** Raw framing, all replies in: our side is shut down, and the server's close ends the session. */
    CLOSING,
    FINISHED
  }

  /** A line sent and not yet answered, and when it was sent. */
  private record InFlight(byte[] line, long sentNanos) {
  }

  private final Vertx vertx;
  private final ClientConfig config;
  private final boolean raw;
  private final int window;
  private final ReplyPrinter printer;
  private final Buffer ack;
  /** Opens a new connection to the server (used by reconnection). */
  private final Supplier<Future<NetSocket>> connector;
  private final Promise<ClientExit> exitStatus = Promise.promise();
  private final ReplyPoller poller;

  /** Lines handed over by the reader and not sent (again) yet, because the window is full or no connection is up. */
  private final Deque<byte[]> unsent = new ArrayDeque<>();
  /** Lines awaiting their reply, oldest first; its size is the number of lines in flight. */
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  /** Replies of the buffer being processed, printed together once it is done. */
  private final List<String> replies = new ArrayList<>();

  private NetSocket socket;
  private State state = State.CONNECTED;
  private InputBatch.End inputEnd = InputBatch.End.MORE;
  private String inputProblem;
  private Future<Void> lastWrite = Future.succeededFuture();
  private long replyTimer = -1;
  private long closeTimer = -1;
  private long reconnectTimer = -1;
  /** Distinct lines sent (a line sent again is not counted again). */
  private long sent;
  private long acknowledged;
  /** Lines at the front of {@link #unsent} that were sent before, on a connection since lost. */
  private int toResend;
  /** Connection attempts since the loss, or since the last reply. */
  private int attempts;
  /** Why the connection was lost, or why the last attempt failed. */
  private String lossReason;
  /** Raw framing: acknowledgements that came while no line awaited one (the server read a line in pieces). */
  private long surplus;
  private long bytesReceived;
  /** Bytes of complete replies, delimiters included. */
  private long bytesInReplies;
  private boolean unexpectedReplyNoted;

  ClientSession(Vertx vertx, ClientConfig config, int window, ReplyPrinter printer,
    Supplier<Future<NetSocket>> connector) {
    this.vertx = vertx;
    this.config = config;
    this.raw = config.framing() == Framing.RAW;
    this.window = window;
    this.printer = printer;
    this.ack = Buffer.buffer(config.ackText().textBytes());
    this.connector = connector;
    this.poller = new ReplyPoller(config.busyPollMicros());
  }

  Future<ClientExit> exitStatus() {
    return exitStatus.future();
  }

  /** Talks over {@code connected}, the first connection. */
  void start(NetSocket connected) {
    attach(connected);
  }

  /**
   * Makes {@code connected} the session's connection. Each connection has its own parser, so half a reply from a
   * lost connection is never completed by bytes of the next one; events of a connection no longer current are
   * ignored.
   */
  private void attach(NetSocket connected) {
    socket = connected;
    RecordParser parser = raw
      ? RecordParser.newFixed(ack.length())
      : RecordParser.newDelimited("\n").maxRecordSize(MAX_REPLY_LINE_BYTES);
    parser.handler(this::onReply);
    parser.exceptionHandler(tooLong -> finish(ClientExit.SERVER_ERROR,
      "Fehler: der Server sendete eine Antwortzeile über " + MAX_REPLY_LINE_BYTES + " Bytes" + counts()));
    connected.handler(received -> {
      if (connected == socket) {
        bytesReceived += received.length();
        parser.handle(received);
        afterReceiving();
      }
    });
    connected.exceptionHandler(error -> {
      if (connected == socket) {
        onError(error);
      }
    });
    connected.closeHandler(v -> {
      if (connected == socket) {
        onClosed();
      }
    });
  }

  /** Called on the event loop with each batch the reader hands over. */
  void onInput(InputBatch batch) {
    if (state != State.CONNECTED && state != State.RECONNECTING) {
      return;
    }
    unsent.addAll(batch.lines());
    if (batch.end() != InputBatch.End.MORE) {
      inputEnd = batch.end();
      inputProblem = batch.problem();
    }
    sendWhatTheWindowAllows();
    endIfDone();
  }

  private void sendWhatTheWindowAllows() {
    if (state != State.CONNECTED) {
      return;
    }
    Buffer out = null;
    long now = System.nanoTime();
    while (!unsent.isEmpty() && inFlight.size() < window) {
      byte[] line = unsent.poll();
      if (out == null) {
        out = Buffer.buffer(raw ? line.length : 16 * line.length);
      }
      out.appendBytes(line);
      if (!raw) {
        out.appendByte((byte) '\n');
      }
      inFlight.add(new InFlight(line, now));
      if (toResend > 0) {
        toResend--;
      } else {
        sent++;
      }
    }
    if (out != null) {
      // One write for all lines that fit: in line framing a pipelined batch costs one system call, not one each.
      lastWrite = socket.write(out);
      armReplyTimer();
      poller.replyDue();
    }
  }

  private void onReply(Buffer record) {
    bytesInReplies += record.length() + (raw ? 0 : 1);
    if (state == State.FINISHED) {
      return;
    }
    if (inFlight.isEmpty()) {
      if (raw) {
        // The server read a line in several pieces and acknowledged each: TCP has no message boundaries.
        surplus++;
        return;
      }
      finish(ClientExit.SERVER_ERROR, "Fehler: unerwartete Antwort vom Server, obwohl keine Zeile auf Antwort "
        + "wartete: " + text(record) + counts());
      return;
    }
    String reply = text(record);
    if (!raw && reply.startsWith("ERROR")) {
      finish(ClientExit.SERVER_ERROR, "Fehler: der Server hat Zeile " + (acknowledged + 1) + " abgelehnt: " + reply
        + counts());
      return;
    }
    if (!unexpectedReplyNoted && !reply.equals(config.ack())) {
      unexpectedReplyNoted = true;
      printer.note("Hinweis: die Antwort des Servers ist nicht die erwartete Bestätigung '" + config.ack()
        + "': stimmt 'ack' bei Client und Server überein?");
    }
    inFlight.poll();
    acknowledged++;
    attempts = 0;
    replies.add(reply);
  }

  private void afterReceiving() {
    if (state == State.FINISHED) {
      return;
    }
    sendWhatTheWindowAllows();
    if (inFlight.isEmpty()) {
      poller.nothingDue();
    } else {
      poller.replyDue(); // the next reply of a pipelined window
    }
    // Replies are handed over (and flushed) once nothing else is ready to send: a script that waits for a reply
    // before writing its next line gets it at once, while a piped file wakes the printer once per batch.
    if (unsent.isEmpty() || replies.size() >= PRINT_BATCH) {
      printReplies();
    }
    endIfDone();
  }

  private void printReplies() {
    if (!replies.isEmpty()) {
      printer.print(List.copyOf(replies));
      replies.clear();
    }
  }

  private void endIfDone() {
    if (state != State.CONNECTED || inputEnd == InputBatch.End.MORE || !unsent.isEmpty() || !inFlight.isEmpty()) {
      return;
    }
    if (inputEnd == InputBatch.End.BAD_INPUT) {
      finish(ClientExit.BAD_INPUT, inputProblem);
    } else if (raw) {
      closeOutputAndAwaitTheServer();
    } else {
      finish(ClientExit.OK, null);
    }
  }

  /**
   * Raw framing only: shuts our sending side and waits for the server to close. Any acknowledgement still on its
   * way (for a line the server read in pieces) is counted rather than met by a reset; and when the server closes,
   * it has read every byte we sent. A server that does not close is given {@code replyTimeoutMs}.
   */
  private void closeOutputAndAwaitTheServer() {
    state = State.CLOSING;
    cancelReplyTimer();
    closeTimer = vertx.setTimer(config.replyTimeoutMs(), id -> finish(ClientExit.OK, null));
    lastWrite.onComplete(written -> {
      if (!VertxNetty.shutdownOutput(socket)) {
        finish(ClientExit.OK, null);
      }
    });
  }

  private void onClosed() {
    if (state == State.CLOSING) {
      finish(ClientExit.OK, null);
    } else if (state == State.CONNECTED) {
      connectionLost("der Server hat die Verbindung beendet", "Fehler: der Server hat die Verbindung beendet"
        + counts());
    }
  }

  private void onError(Throwable error) {
    if (state == State.CLOSING) {
      finish(ClientExit.OK, null); // every line was acknowledged before
    } else if (state == State.CONNECTED) {
      String tlsProblem = ClientTls.explain(error, config.tls());
      String why = tlsProblem != null ? tlsProblem : reason(error);
      connectionLost(why, "Fehler während der Kommunikation: " + why + counts());
    }
  }

  /** The connection is gone: the end of the session ({@code failure}), or, with reconnection, a pause. */
  private void connectionLost(String why, String failure) {
    if (!config.reconnect().enabled()) {
      finish(ClientExit.CONNECTION_LOST, failure);
      return;
    }
    NetSocket lost = socket;
    socket = null;
    lost.close();
    state = State.RECONNECTING;
    cancelReplyTimer();
    printReplies();
    // The lines in flight go back in front of the unsent ones, in their order, to be sent again.
    for (var line = inFlight.descendingIterator(); line.hasNext(); ) {
      unsent.addFirst(line.next().line());
    }
    toResend += inFlight.size();
    inFlight.clear();
    lossReason = why;
    scheduleAttempt();
  }

  private void scheduleAttempt() {
    ClientConfig.Reconnect reconnect = config.reconnect();
    if (attempts >= reconnect.attempts()) {
      finish(ClientExit.CONNECTION_LOST, "Fehler: die Verbindung zum Server ist verloren und nach " + attempts
        + " Versuch(en) nicht wiederhergestellt: " + lossReason + counts() + unanswered());
      return;
    }
    attempts++;
    long pauseMs = reconnect.pauseMs(attempts);
    printer.note("Hinweis: " + lossReason + "; neue Verbindung, Versuch " + attempts + " von " + reconnect.attempts()
      + " in " + pauseMs + " ms (" + config.host() + ":" + config.port() + ")");
    reconnectTimer = vertx.setTimer(Math.max(1, pauseMs), id -> {
      reconnectTimer = -1;
      attemptToConnect();
    });
  }

  private void attemptToConnect() {
    int attempt = attempts;
    connector.get().onComplete(connected -> {
      if (state != State.RECONNECTING) {
        if (connected.succeeded()) {
          connected.result().close();
        }
        return;
      }
      if (connected.failed()) {
        String tlsProblem = ClientTls.explain(connected.cause(), config.tls());
        lossReason = "Versuch " + attempt + " fehlgeschlagen: "
          + (tlsProblem != null ? tlsProblem : reason(connected.cause()));
        scheduleAttempt();
        return;
      }
      attach(connected.result());
      state = State.CONNECTED;
      printer.note("Hinweis: wieder verbunden (Versuch " + attempt + "); " + toResend
        + " Zeile(n) ohne Antwort werden erneut gesendet");
      sendWhatTheWindowAllows();
      endIfDone();
    });
  }

  /** For the error after the last attempt: which input lines got no reply. */
  private String unanswered() {
    long first = acknowledged + 1;
    long last = acknowledged + unsent.size();
    String rest = inputEnd == InputBatch.End.MORE ? " und alle weiteren Zeilen der Eingabe" : "";
    if (last < first) {
      return rest.isEmpty() ? "" : "; ohne Antwort: alle weiteren Zeilen der Eingabe";
    }
    return "; ohne Antwort: Zeile " + first + (last > first ? " bis " + last : "") + rest;
  }

  private void armReplyTimer() {
    if (replyTimer < 0 && !inFlight.isEmpty()) {
      long waitedNanos = System.nanoTime() - inFlight.peek().sentNanos();
      long leftMs = TimeUnit.NANOSECONDS.toMillis(TimeUnit.MILLISECONDS.toNanos(config.replyTimeoutMs()) - waitedNanos);
      replyTimer = vertx.setTimer(Math.max(1, leftMs + 1), id -> onReplyTimer());
    }
  }

  /** One timer for all lines in flight: it fires for the oldest and is set again for the next oldest. */
  private void onReplyTimer() {
    replyTimer = -1;
    if (state != State.CONNECTED || inFlight.isEmpty()) {
      return;
    }
    long waitedNanos = System.nanoTime() - inFlight.peek().sentNanos();
    if (waitedNanos >= TimeUnit.MILLISECONDS.toNanos(config.replyTimeoutMs())) {
      finish(ClientExit.NO_REPLY, "Fehler: keine Antwort vom Server innerhalb von " + config.replyTimeoutMs() + " ms"
        + counts() + partialReply());
    } else {
      armReplyTimer();
    }
  }

  private void cancelReplyTimer() {
    if (replyTimer >= 0) {
      vertx.cancelTimer(replyTimer);
      replyTimer = -1;
    }
  }

  /** Ends the session; on an error, the replies that did arrive are still printed, before the message. */
  private void finish(ClientExit status, String message) {
    if (state == State.FINISHED) {
      return;
    }
    state = State.FINISHED;
    cancelReplyTimer();
    if (closeTimer >= 0) {
      vertx.cancelTimer(closeTimer);
    }
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    printReplies();
    if (surplus > 0) {
      printer.note("Hinweis: der Server hat " + surplus + " Bestätigung(en) mehr gesendet als Zeilen: er hat "
        + "Zeilen in mehreren Stücken gelesen und jedes bestätigt (raw-Framing kennt keine Nachrichtengrenzen; "
        + "framing=line hat dieses Problem nicht)");
    }
    if (socket != null) {
      socket.close();
    }
    printer.finish(status, message).onComplete(exitStatus);
  }

  private String counts() {
    return " (Zeilen gesendet: " + sent + ", bestätigt: " + acknowledged + ")";
  }

  /** Bytes of a reply that never completed: a sign that client and server disagree on framing or {@code ack}. */
  private String partialReply() {
    long partial = bytesReceived - bytesInReplies;
    if (partial <= 0) {
      return "";
    }
    return raw
      ? "; " + partial + " Bytes einer unvollständigen Antwort erhalten (erwartet: '" + config.ack() + "', "
        + ack.length() + " Bytes): stimmt 'ack' bei Client und Server überein?"
      : "; " + partial + " Bytes ohne Zeilenende erhalten: ist der Server auf framing=line eingestellt?";
  }

  private String text(Buffer record) {
    if (record.length() == ack.length() && record.equals(ack)) {
      return config.ack(); // the usual reply: no decoding, and the printer knows this very string
    }
    String text = record.toString(StandardCharsets.UTF_8);
    return !raw && text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static String reason(Throwable error) {
    return Causes.describe(error);
  }
}
