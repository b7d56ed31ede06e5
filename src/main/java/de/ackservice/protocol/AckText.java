package de.ackservice.protocol;

import de.ackservice.config.Framing;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement: its rules (what text the server may send) and its bytes on the wire, for the server that
 * sends it and for the client and load generator that recognise it. Raw framing sends the text alone, so its length
 * is what delimits a reply; line framing sends it followed by {@code \n}, so it must not contain a line break itself.
 */
public final class AckText {

  /** What the seed servers answer. */
  public static final String DEFAULT = "Daten erfolgreich empfangen!";
  /** Bound on the text's UTF-8 length: an acknowledgement is a short confirmation, not a payload. */
  public static final int MAX_BYTES = 4096;

  private final String text;
  private final Framing framing;

  private AckText(String text, Framing framing) {
    this.text = text;
    this.framing = framing;
  }

  /** The ways a text can fail to be an acknowledgement, each with its rule in words. */
  public enum Problem {
    EMPTY("must not be empty"),
    TOO_LONG("at most " + MAX_BYTES + " bytes of UTF-8"),
    LINE_BREAK("must not contain a line break in line framing");

    /** Both length rules in one sentence, as the configuration states them. */
    public static final String LENGTH_RULE = "must be between 1 and " + MAX_BYTES + " bytes of UTF-8";

    private final String rule;

    Problem(String rule) {
      this.rule = rule;
    }

    public String rule() {
      return rule;
    }
  }

  /**
   * The acknowledgement {@code text} in {@code framing}.
   *
   * @throws IllegalArgumentException when the text breaks a rule, see {@link #problem}
   */
  public static AckText of(String text, Framing framing) {
    Problem problem = problem(text, framing);
    if (problem != null) {
      throw new IllegalArgumentException(problem.rule());
    }
    return new AckText(text, framing);
  }

  /** The rule {@code text} breaks in {@code framing}, or null when it is a valid acknowledgement. */
  public static Problem problem(String text, Framing framing) {
    if (text.isEmpty()) {
      return Problem.EMPTY;
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Problem.TOO_LONG;
    }
    if (framing == Framing.LINE && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) {
      return Problem.LINE_BREAK;
    }
    return null;
  }

  public String text() {
    return text;
  }

  public Framing framing() {
    return framing;
  }

  /** The text's UTF-8 bytes, without a terminator: what a line reply is compared with once its newline is cut. */
  public byte[] textBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One acknowledgement as it travels: the text, plus {@code \n} in line framing. */
  public byte[] wireBytes() {
    return (framing == Framing.LINE ? text + "\n" : text).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AckText that && text.equals(that.text) && framing == that.framing;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + framing.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
