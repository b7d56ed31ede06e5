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

/**
 * One connection's conversation, on the event loop: sends the lines the {@link StdinReader} hands over while the
 * window has room, matches replies to lines in order, times out a line whose reply does not come, and decides the
 * exit status. Every line sent ends either with its reply printed or counted in the error message.
 *
 * <p>Raw framing has no delimiter: a reply is complete when as many bytes as the acknowledgement has have arrived,
 * and the window is one line (stop-and-wait), so replies never merge. Line framing sends {@code line + "\n"},
 * keeps up to {@code clientWindow} lines in flight and reads one reply per {@code \n}.
 */
final class ClientSession {

  /** Longest reply line accepted in line framing: far above any acknowledgement or error line. */
  private static final int MAX_REPLY_LINE_BYTES = 64 * 1024;
  /** Replies gathered before the printer is woken while more lines are ready to send. */
  static final int PRINT_BATCH = 64;

  private enum State {
    RUNNING,
    /** Raw framing, all replies in: our side is shut down, and the server's close ends the session. */
    CLOSING,
    FINISHED
  }

  private final Vertx vertx;
  private final NetSocket socket;
  private final ClientConfig config;
  private final boolean raw;
  private final int window;
  private final ReplyPrinter printer;
  private final Buffer ack;
  private final Promise<ClientExit> exitStatus = Promise.promise();

  /** Lines handed over by the reader and not sent yet, because the window is full. */
  private final Deque<byte[]> unsent = new ArrayDeque<>();
  /** When each line awaiting its reply was sent, oldest first; its size is the number of lines in flight. */
  private final Deque<Long> sentNanos = new ArrayDeque<>();
  /** Replies of the buffer being processed, printed together once it is done. */
  private final List<String> replies = new ArrayList<>();

  private State state = State.RUNNING;
  private InputBatch.End inputEnd = InputBatch.End.MORE;
  private String inputProblem;
  private Future<Void> lastWrite = Future.succeededFuture();
  private long replyTimer = -1;
  private long closeTimer = -1;
  private long sent;
  private long acknowledged;
  /** Raw framing: acknowledgements that came while no line awaited one (the server read a line in pieces). */
  private long surplus;
  private long bytesReceived;
  /** Bytes of complete replies, delimiters included. */
  private long bytesInReplies;
  private boolean unexpectedReplyNoted;

  ClientSession(Vertx vertx, NetSocket socket, ClientConfig config, int window, ReplyPrinter printer) {
    this.vertx = vertx;
    this.socket = socket;
    this.config = config;
    this.raw = config.framing() == Framing.RAW;
    this.window = window;
    this.printer = printer;
    this.ack = Buffer.buffer(config.ackText().textBytes());
  }

  Future<ClientExit> exitStatus() {
    return exitStatus.future();
  }

  void start() {
    RecordParser parser = raw
      ? RecordParser.newFixed(ack.length())
      : RecordParser.newDelimited("\n").maxRecordSize(MAX_REPLY_LINE_BYTES);
    parser.handler(this::onReply);
    parser.exceptionHandler(tooLong -> finish(ClientExit.SERVER_ERROR,
      "Fehler: der Server sendete eine Antwortzeile über " + MAX_REPLY_LINE_BYTES + " Bytes" + counts()));
    socket.handler(received -> {
      bytesReceived += received.length();
      parser.handle(received);
      afterReceiving();
    });
    socket.exceptionHandler(this::onError);
    socket.closeHandler(v -> onClosed());
  }

  /** Called on the event loop with each batch the reader hands over. */
  void onInput(InputBatch batch) {
    if (state != State.RUNNING) {
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
    Buffer out = null;
    long now = System.nanoTime();
    while (!unsent.isEmpty() && sentNanos.size() < window) {
      byte[] line = unsent.poll();
      if (out == null) {
        out = Buffer.buffer();
      }
      out.appendBytes(line);
      if (!raw) {
        out.appendByte((byte) '\n');
      }
      sentNanos.add(now);
      sent++;
    }
    if (out != null) {
      // One write for all lines that fit: in line framing a pipelined batch costs one system call, not one each.
      lastWrite = socket.write(out);
      armReplyTimer();
    }
  }

  private void onReply(Buffer record) {
    bytesInReplies += record.length() + (raw ? 0 : 1);
    if (state == State.FINISHED) {
      return;
    }
    if (sentNanos.isEmpty()) {
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
    sentNanos.poll();
    acknowledged++;
    replies.add(reply);
  }

  private void afterReceiving() {
    if (state == State.FINISHED) {
      return;
    }
    if (state == State.RUNNING) {
      sendWhatTheWindowAllows();
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
    if (state != State.RUNNING || inputEnd == InputBatch.End.MORE || !unsent.isEmpty() || !sentNanos.isEmpty()) {
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
    } else if (state == State.RUNNING) {
      finish(ClientExit.CONNECTION_LOST, "Fehler: der Server hat die Verbindung beendet" + counts());
    }
  }

  private void onError(Throwable error) {
    if (state == State.CLOSING) {
      finish(ClientExit.OK, null); // every line was acknowledged before
    } else if (state == State.RUNNING) {
      String tlsProblem = ClientTls.explain(error, config.tls());
      finish(ClientExit.CONNECTION_LOST, "Fehler während der Kommunikation: "
        + (tlsProblem != null ? tlsProblem : reason(error)) + counts());
    }
  }

  private void armReplyTimer() {
    if (replyTimer < 0 && !sentNanos.isEmpty()) {
      long waitedNanos = System.nanoTime() - sentNanos.peek();
      long leftMs = TimeUnit.NANOSECONDS.toMillis(TimeUnit.MILLISECONDS.toNanos(config.replyTimeoutMs()) - waitedNanos);
      replyTimer = vertx.setTimer(Math.max(1, leftMs + 1), id -> onReplyTimer());
    }
  }

  /** One timer for all lines in flight: it fires for the oldest and is set again for the next oldest. */
  private void onReplyTimer() {
    replyTimer = -1;
    if (state != State.RUNNING || sentNanos.isEmpty()) {
      return;
    }
    long waitedNanos = System.nanoTime() - sentNanos.peek();
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
    printReplies();
    if (surplus > 0) {
      printer.note("Hinweis: der Server hat " + surplus + " Bestätigung(en) mehr gesendet als Zeilen: er hat "
        + "Zeilen in mehreren Stücken gelesen und jedes bestätigt (raw-Framing kennt keine Nachrichtengrenzen; "
        + "framing=line hat dieses Problem nicht)");
    }
    socket.close();
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
    String text = record.toString(StandardCharsets.UTF_8);
    return !raw && text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static String reason(Throwable error) {
    return Causes.describe(error);
  }
}
