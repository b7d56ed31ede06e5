package de.ackservice.protocol;

/**
 * Cuts one connection's byte stream into messages, counting them without keeping them. Pure Java over byte arrays,
 * so the server, the client and the benchmark can share it whatever their transport. One instance per connection;
 * not thread-safe.
 */
public interface MessageFramer {

  /**
   * Consumes {@code bytes[from, to)} up to the end of its {@code maxMessages}-th complete message (or all of it when
   * it holds fewer) and returns how many messages that completed. {@link #position()} then tells where it stopped:
   * the bytes from there on have not been looked at.
   */
  int consume(byte[] bytes, int from, int to, int maxMessages);

  /** Where the last {@link #consume} stopped: the index after the last byte it consumed. */
  int position();

  /** True once the peer has sent a message over the limit; nothing after it is counted. */
  boolean overLimit();

  /** False when the framer never reads the bytes themselves (raw framing): callers may pass no array. */
  boolean inspectsBytes();
}
