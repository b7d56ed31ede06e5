package de.ackservice.client;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where the client reads lines and writes replies and diagnostics, and whether a person is typing. The real
 * program passes stdin, stdout and stderr; tests pass in-memory streams, so they need no terminal.
 *
 * @param in          lines to send, read on a thread of its own (reads may block)
 * @param out         one {@code Serverantwort: …} line per reply, and the prompts when interactive
 * @param err         errors and notes
 * @param interactive shows the seed's prompt before each line and waits for each reply before the next prompt
 */
public record ClientIo(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
}
