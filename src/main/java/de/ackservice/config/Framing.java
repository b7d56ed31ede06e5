package de.ackservice.config;

/** How the byte stream of a connection is cut into the messages that each get one acknowledgement. */
public enum Framing {
  /** One acknowledgement per received TCP read, with no delimiter: byte-for-byte what the seed servers do. */
  RAW,
  /** One acknowledgement plus {@code \n} per {@code \n}-terminated line ({@code \r\n} accepted). */
  LINE
}
