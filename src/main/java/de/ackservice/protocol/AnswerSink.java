package de.ackservice.protocol;

/** What an {@link AnswerMatcher} finds in the received bytes. */
public interface AnswerSink {

  /**
   * One complete answer of {@code bytes} bytes: the expected acknowledgement when {@code ack}, otherwise a line
   * that is something else (line framing). Returns false when the answer was not expected at all (nothing in
   * flight): the matcher then stops and reports the rest of the chunk through {@link #garbage}.
   */
  boolean answer(boolean ack, int bytes);

  /** Bytes that are not, and cannot become, an acknowledgement; the stream after them cannot be trusted. */
  void garbage(int bytes);
}
