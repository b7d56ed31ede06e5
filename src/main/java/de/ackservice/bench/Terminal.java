package de.ackservice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal, which decides whether a person is watching the status lines. */
final class Terminal {

  private Terminal() {
  }

  static boolean stderrIsTerminal() {
    // Linux tells exactly what file descriptor 2 is; elsewhere the JVM's console (stdin and stdout on a terminal)
    // is the nearest thing Java has.
    Path stderr = Path.of("/proc/self/fd/2");
    if (Files.exists(stderr, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        String target = Files.readSymbolicLink(stderr).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException e) {
        return System.console() != null;
      }
    }
    return System.console() != null;
  }
}
