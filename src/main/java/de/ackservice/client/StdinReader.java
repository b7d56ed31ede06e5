package de.ackservice.client;

import de.ackservice.config.ClientConfig;
import de.ackservice.config.Framing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Reads the input on a thread of its own, because reading stdin blocks and an event loop must never block, and
 * hands the lines to the session in batches.
 *
 * <p>The hand-off is bounded: a line is read only after taking a permit from {@code readAhead}, which the
 * {@link ReplyPrinter} gives back once the line's reply is printed. However big a piped file is, no more lines
 * than permits are ever held in memory, and the input is read no faster than the server answers.
 * Interactive sessions have one permit, so the prompt for a line appears after the previous reply.
 */
final class StdinReader {

  static final String PROMPT = "Bitte geben Sie Daten zum Senden ein oder tippen Sie 'exit' zum Beenden: ";
  /**
   * The longest line sent in raw framing. Raw framing has no delimiter: the server acknowledges each read, and the
   * seed servers read at most 1024 bytes at a time, so a longer line is certain to be answered more than once.
   */
  static final int RAW_MAX_LINE_BYTES = 1024;
  private static final String EXIT = "exit";

  private final ClientIo io;
  private final boolean raw;
  private final int maxLineBytes;
  private final LineReader lines;
  private final Semaphore readAhead;
  private final Consumer<InputBatch> session;
  private final int batchSize;
  private final Thread thread;
  private long lineNumber;

  /**
   * {@code readAhead} bounds the lines read and not yet answered; a script's reader takes room for up to
   * {@code batchSize} lines at once (less than the read-ahead, so the window stays full meanwhile).
   * {@code session} is called on the reader thread: it must hand the batch over, not process it there.
   */
  StdinReader(ClientIo io, ClientConfig config, Semaphore readAhead, int batchSize, Consumer<InputBatch> session) {
    this.io = io;
    this.raw = config.framing() == Framing.RAW;
    this.maxLineBytes = raw ? RAW_MAX_LINE_BYTES : config.maxLineBytes();
    this.lines = new LineReader(io.in(), maxLineBytes);
    this.readAhead = readAhead;
    this.session = session;
    this.batchSize = batchSize;
    this.thread = new Thread(this::run, "ack-client-stdin");
    // A reader blocked on a terminal must not keep the JVM alive once the session is over.
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops waiting for room (the session is over); a read blocked on stdin ends with the JVM. */
  void stop() {
    thread.interrupt();
  }

  private void run() {
    try {
      readUntilTheEnd();
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      session.accept(InputBatch.failed(List.of(), "Fehler beim Lesen der Eingabe: " + e.getMessage()));
    }
  }

  private void readUntilTheEnd() throws IOException, InterruptedException {
    // A script's reader wakes for a batch of free room at a time, not for each printed reply.
    int grab = io.interactive() ? 1 : batchSize;
    while (true) {
      readAhead.acquire(grab);
      if (io.interactive()) {
        io.out().print(PROMPT);
        io.out().flush();
      }
      List<byte[]> batch = new ArrayList<>();
      int taken = 0;
      boolean more = true;
      while (more) {
        LineReader.Line line = lines.next();
        taken++;
        if (line.endOfInput()) {
          if (io.interactive()) {
            io.out().println(); // Ctrl-D leaves the cursor after the prompt
            io.out().flush();
          }
          session.accept(InputBatch.last(batch, InputBatch.End.END_OF_INPUT));
          return;
        }
        lineNumber++;
        if (line.tooLong()) {
          session.accept(InputBatch.failed(batch, tooLong()));
          return;
        }
        if (isExit(line.bytes())) {
          session.accept(InputBatch.last(batch, InputBatch.End.EXIT));
          return;
        }
        if (raw && line.isEmpty()) {
          io.err().println("Hinweis: Zeile " + lineNumber + " ist leer und wurde nicht gesendet "
            + "(raw-Framing kann keine leere Nachricht übertragen)");
        } else {
          batch.add(line.bytes());
        }
        // Take more only while whole lines are already buffered: a line in hand is never held back waiting.
        more = taken < grab && lines.hasBufferedLine();
      }
      // Room not used by a line that is sent (skipped lines, a short batch) is given back at once.
      readAhead.release(grab - batch.size());
      if (!batch.isEmpty()) {
        session.accept(InputBatch.more(batch));
      }
    }
  }

  private String tooLong() {
    String why = raw
      ? "in raw-Framing höchstens " + maxLineBytes + " Bytes pro Zeile, weil der Server jedes gelesene Stück "
        + "bestätigt; für längere Zeilen framing=line verwenden"
      : "maxLineBytes = " + maxLineBytes;
    return "Fehler: Zeile " + lineNumber + " ist länger als " + maxLineBytes + " Bytes und wurde nicht gesendet ("
      + why + ")";
  }

  /** {@code exit} in any case, surrounding blanks ignored; longer lines are never the command. */
  private static boolean isExit(byte[] line) {
    return line.length <= 64
      && new String(line, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT).equals(EXIT);
  }
}
