package de.ackservice.support;

import java.nio.charset.StandardCharsets;

/** The acknowledgement bytes as the seed servers send them. */
public final class Acks {

  public static final String TEXT = "Daten erfolgreich empfangen!";
  public static final byte[] RAW = TEXT.getBytes(StandardCharsets.UTF_8);
  public static final byte[] LINE = (TEXT + "\n").getBytes(StandardCharsets.UTF_8);

  private Acks() {
  }

  public static byte[] lines(int count) {
    byte[] out = new byte[LINE.length * count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(LINE, 0, out, i * LINE.length, LINE.length);
    }
    return out;
  }
}
