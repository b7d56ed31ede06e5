package de.ackservice.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Writes replies and messages on a thread of its own, in the order they were handed over. stdout may be a pipe to
 * a slow reader or a pager: writing to it can block, and must not block the event loop.
 *
 * <p>The line a reply answers frees its room in the read-ahead only once the reply is written, so a stalled stdout
 * stops the reading of stdin instead of letting replies pile up here.
 */
final class ReplyPrinter {

  static final String REPLY_PREFIX = "Serverantwort: ";

  private final PrintStream out;
  /** The acknowledgement this client expects, and its whole output line in UTF-8, written without encoding. */
  private final String ack;
  private final byte[] ackLine;
  private final PrintStream err;
  private final Semaphore readAhead;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
    Thread printer = new Thread(task, "ack-client-stdout");
    printer.setDaemon(true);
    return printer;
  });

  ReplyPrinter(ClientIo io, String ack, Semaphore readAhead) {
    this.out = io.out();
    this.ack = ack;
    this.ackLine = (REPLY_PREFIX + ack + "\n").getBytes(StandardCharsets.UTF_8);
    this.err = io.err();
    this.readAhead = readAhead;
  }

  /** Prints one line per reply and flushes once for all of them (they arrived together). */
  void print(List<String> replies) {
    thread.execute(() -> {
      for (String reply : replies) {
        if (reply.equals(ack)) {
          out.write(ackLine, 0, ackLine.length);
        } else {
          out.print(REPLY_PREFIX + reply + "\n");
        }
      }
      out.flush();
      readAhead.release(replies.size());
    });
  }

  void note(String message) {
    thread.execute(() -> {
      err.println(message);
      err.flush();
    });
  }

  /** After everything handed over so far is written: prints the final message, if any, and reports the status. */
  Future<ClientExit> finish(ClientExit status, String message) {
    Promise<ClientExit> done = Promise.promise();
    thread.execute(() -> {
      out.flush();
      if (message != null) {
        err.println(message);
      }
      err.flush();
      done.complete(status);
    });
    thread.shutdown();
    return done.future();
  }
}
