package de.ackservice.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadLogTest {

  @Test
  void escapesControlCharactersSoAPayloadCannotForgeLogLines() {
    ByteBuf payload = Unpooled.copiedBuffer("ok\n2026-01-01 INFO fake\r\t\u001b[31m\u0000\"\\", StandardCharsets.UTF_8);
    assertThat(PayloadLog.render(payload))
      .isEqualTo("\"ok\\n2026-01-01 INFO fake\\r\\t\\u001b[31m\\u0000\\\"\\\\\"")
      .doesNotContain("\n", "\r");
  }

  @Test
  void decodesInvalidUtf8LenientlyAndKeepsValidText() {
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xff, (byte) 0xc3, (byte) 0xbc, (byte) 0xfe});
    assertThat(PayloadLog.render(payload)).isEqualTo("\"a\uFFFDü\uFFFD\"");
  }

  @Test
  void truncatesLongPayloadsAndSaysHowLongTheyWere() {
    String rendered = PayloadLog.render(Unpooled.copiedBuffer("x".repeat(10_000), StandardCharsets.US_ASCII));
    assertThat(rendered).startsWith("\"" + "x".repeat(PayloadLog.MAX_BYTES_SHOWN) + "\"")
      .endsWith("... (10000 bytes)");
  }
}
