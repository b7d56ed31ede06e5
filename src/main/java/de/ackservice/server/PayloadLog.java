package de.ackservice.server;

import io.netty.buffer.ByteBuf;

import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Renders untrusted payload bytes for a DEBUG log line: decoded leniently (invalid UTF-8 becomes U+FFFD),
 * control characters escaped so a payload cannot forge log lines, and cut to a fixed length.
 */
final class PayloadLog {

  static final int MAX_BYTES_SHOWN = 200;

  private PayloadLog() {
  }

  static String render(ByteBuf payload) {
    int shown = Math.min(payload.readableBytes(), MAX_BYTES_SHOWN);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
    String text;
    try {
      text = decoder.decode(payload.nioBuffer(payload.readerIndex(), shown)).toString();
    } catch (java.nio.charset.CharacterCodingException impossibleWithReplace) {
      text = "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append('"');
    text.codePoints().forEach(cp -> escape(cp, out));
    out.append('"');
    if (shown < payload.readableBytes()) {
      out.append("... (").append(payload.readableBytes()).append(" bytes)");
    }
    return out.toString();
  }

  private static void escape(int cp, StringBuilder out) {
    switch (cp) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      default -> {
        if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
          out.append(String.format("\\u%04x", cp));
        } else {
          out.appendCodePoint(cp);
        }
      }
    }
  }
}
