package de.ackservice.protocol;

import de.ackservice.config.Framing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckTextTest {

  @Test
  void onTheWireRawIsTheTextAndLineAddsANewline() {
    assertThat(AckText.of("ok", Framing.RAW).wireBytes()).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
    assertThat(AckText.of("ok", Framing.LINE).wireBytes()).isEqualTo("ok\n".getBytes(StandardCharsets.UTF_8));
    assertThat(AckText.of("ü", Framing.LINE).textBytes()).hasSize(2);
  }

  @Test
  void theRules() {
    assertThat(AckText.problem("", Framing.RAW)).isEqualTo(AckText.Problem.EMPTY);
    assertThat(AckText.problem("x".repeat(AckText.MAX_BYTES), Framing.RAW)).isNull();
    assertThat(AckText.problem("ü".repeat(AckText.MAX_BYTES / 2 + 1), Framing.RAW))
      .as("the bound is in bytes of UTF-8, not characters").isEqualTo(AckText.Problem.TOO_LONG);
    assertThat(AckText.problem("a\nb", Framing.RAW)).isNull();
    assertThat(AckText.problem("a\rb", Framing.LINE)).isEqualTo(AckText.Problem.LINE_BREAK);
    assertThatThrownBy(() -> AckText.of("a\nb", Framing.LINE))
      .hasMessage("must not contain a line break in line framing");
  }
}
