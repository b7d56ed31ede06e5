package de.ackservice.client;

import java.util.List;

/**
 * What the stdin reader hands to the event loop at once: lines read (in order, each without its terminator) and,
 * with the last batch, why the input ended.
 *
 * @param lines   lines to send, possibly none
 * @param end     {@link End#MORE} unless this is the last batch
 * @param problem for {@link End#BAD_INPUT}: the message that explains it
 */
record InputBatch(List<byte[]> lines, End end, String problem) {

  enum End {
    /** More input may follow. */
    MORE,
    /** The input is exhausted. */
    END_OF_INPUT,
    /** The user typed {@code exit}. */
    EXIT,
    /** A line cannot be sent (too long) or the input cannot be read; the lines before it are still sent. */
    BAD_INPUT
  }

  static InputBatch more(List<byte[]> lines) {
    return new InputBatch(lines, End.MORE, null);
  }

  static InputBatch last(List<byte[]> lines, End end) {
    return new InputBatch(lines, end, null);
  }

  static InputBatch failed(List<byte[]> lines, String problem) {
    return new InputBatch(lines, End.BAD_INPUT, problem);
  }
}
