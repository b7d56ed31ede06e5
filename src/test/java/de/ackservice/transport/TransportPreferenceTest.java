package de.ackservice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportPreferenceTest {

  @Test
  void parsesTheFourValuesAsDocumented() {
    assertThat(TransportPreference.parse("transport", "auto")).isEqualTo(TransportPreference.AUTO);
    assertThat(TransportPreference.parse("transport", "io_uring")).isEqualTo(TransportPreference.IO_URING);
    assertThat(TransportPreference.parse("transport", "epoll")).isEqualTo(TransportPreference.EPOLL);
    assertThat(TransportPreference.parse("transport", "nio")).isEqualTo(TransportPreference.NIO);
  }

  @Test
  void toleratesCaseBlanksAndTheHyphenatedSpelling() {
    assertThat(TransportPreference.parse("transport", " IO-URING ")).isEqualTo(TransportPreference.IO_URING);
    assertThat(TransportPreference.parse("transport", "Epoll")).isEqualTo(TransportPreference.EPOLL);
  }

  @Test
  void anUnknownValueNamesTheKeyTheValueAndTheChoices() {
    assertThatThrownBy(() -> TransportPreference.parse("transport", "kqueue"))
        .isInstanceOf(TransportException.class)
        .hasMessage("transport: 'kqueue' is not a transport; use one of auto, io_uring, epoll, nio")
        .extracting(e -> ((TransportException) e).key()).isEqualTo("transport");
    assertThatThrownBy(() -> TransportPreference.parse("transport", null)).isInstanceOf(TransportException.class);
  }
}
