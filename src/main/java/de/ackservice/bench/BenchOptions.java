package de.ackservice.bench;

import de.ackservice.config.Framing;
import de.ackservice.protocol.AckText;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One load generator run, validated by {@link BenchOptionsParser}: an instance is always runnable.
 *
 * @param size       bytes per message on the wire; in line framing the terminating {@code \n} is one of them
 * @param depth      messages in flight per connection: 1 in stop-and-wait
 * @param duration   measured window in duration mode, {@code null} when {@code messages} is set
 * @param messages   measured messages in count mode, 0 in duration mode
 * @param jsonFile   where to write the report as JSON, or {@code null}
 * @param ack        the acknowledgement the server is expected to send, and its bytes on the wire
 * @param timeout    how long a connection may take to connect, and how long a message may wait for its answer
 */
public record BenchOptions(
  String host,
  int port,
  Framing framing,
  int connections,
  Mode mode,
  int depth,
  int size,
  Duration warmup,
  Duration duration,
  long messages,
  Duration ramp,
  AckText ack,
  Path jsonFile,
  int eventLoops,
  Duration timeout) {

  /** True when the run measures a number of messages rather than a duration. */
  public boolean countsMessages() {
    return messages > 0;
  }
}
