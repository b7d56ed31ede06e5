package de.ackservice.transport;

import io.vertx.core.transport.Transport;
import java.util.Optional;

/**
 * The transport a Vert.x instance is to be built with, and why it is not the first choice when {@code auto} had to
 * fall back.
 *
 * @param transport      pass to {@code VertxBuilder.withTransport}
 * @param fallbackReason for {@code auto} only, when io_uring was not taken: why (e.g. {@code io_uring refused:
 *                       Operation not permitted}); {@code null} otherwise
 */
public record SelectedTransport(Transport transport, String fallbackReason) {

  /** {@code io_uring}, {@code epoll} or {@code nio}: for the start-up line, the metrics label and reports. */
  public String name() {
    return transport.name();
  }

  public Optional<String> fallback() {
    return Optional.ofNullable(fallbackReason);
  }

  /** For the start-up line: {@code io_uring}, or {@code epoll (io_uring refused: Operation not permitted)}. */
  public String describe() {
    return fallbackReason == null ? name() : name() + " (" + fallbackReason + ")";
  }
}
