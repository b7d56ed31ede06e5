package de.ackservice.bench;

/** How a connection paces its messages. */
public enum Mode {
  /** Stop-and-wait: the next message is sent only when the previous one's acknowledgement is complete. */
  SAW,
  /** Pipelined (line framing only): a fixed number of messages in flight, each answer triggers the next. */
  PIPE
}
