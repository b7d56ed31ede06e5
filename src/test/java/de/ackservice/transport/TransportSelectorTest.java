package de.ackservice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.transport.Transport;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The selection rules, with transports that say they are (un)available: the reasons a real kernel or seccomp
 * profile gives are reproduced as Netty wraps them (an outer exception whose cause carries the errno text).
 */
class TransportSelectorTest {

  private static final Transport IO_URING_OK = new FakeTransport("io_uring", null);
  private static final Transport EPOLL_OK = new FakeTransport("epoll", null);
  /** Netty 4.2.12's own words under a seccomp profile that refuses io_uring_setup (see TransportRefusedTest). */
  private static final Transport IO_URING_REFUSED = new FakeTransport("io_uring",
      new RuntimeException("failed to create io_uring ring fd: Operation not permitted"));
  private static final Transport IO_URING_REFUSED_WRAPPED = new FakeTransport("io_uring",
      new IllegalStateException("io_uring unavailable",
          new IOException("io_uring_setup(...) failed: Operation not permitted")));
  private static final Transport EPOLL_REFUSED = new FakeTransport("epoll",
      new IllegalStateException("epoll_create1() failed: Function not implemented"));

  @Test
  void autoTakesIoUringWhenItIsAvailable() {
    SelectedTransport chosen = new TransportSelector(IO_URING_OK, EPOLL_OK).select("transport", TransportPreference.AUTO);
    assertThat(chosen.transport()).isSameAs(IO_URING_OK);
    assertThat(chosen.fallback()).isEmpty();
    assertThat(chosen.describe()).isEqualTo("io_uring");
  }

  @Test
  void autoFallsBackToEpollAndSaysWhyIoUringWasRefused() {
    SelectedTransport chosen =
        new TransportSelector(IO_URING_REFUSED, EPOLL_OK).select("transport", TransportPreference.AUTO);
    assertThat(chosen.transport()).isSameAs(EPOLL_OK);
    assertThat(chosen.fallback()).contains("io_uring refused: Operation not permitted");
    assertThat(chosen.describe()).isEqualTo("epoll (io_uring refused: Operation not permitted)");
  }

  @Test
  void theReasonIsTakenFromTheInnermostCause() {
    SelectedTransport chosen =
        new TransportSelector(IO_URING_REFUSED_WRAPPED, EPOLL_OK).select("transport", TransportPreference.AUTO);
    assertThat(chosen.fallbackReason()).isEqualTo("io_uring refused: Operation not permitted");
  }

  @Test
  void aCauseWithoutTheFailedPatternIsQuotedWhole() {
    Transport odd = new FakeTransport("io_uring", new UnsatisfiedLinkError("no netty_transport_native_io_uring42"));
    assertThat(new TransportSelector(odd, EPOLL_OK).select("transport", TransportPreference.AUTO).fallbackReason())
        .isEqualTo("io_uring refused: no netty_transport_native_io_uring42");
  }

  @Test
  void autoFallsBackToNioAndNamesBothRefusals() {
    SelectedTransport chosen =
        new TransportSelector(IO_URING_REFUSED, EPOLL_REFUSED).select("transport", TransportPreference.AUTO);
    assertThat(chosen.transport()).isSameAs(Transport.NIO);
    assertThat(chosen.fallbackReason())
        .isEqualTo("io_uring refused: Operation not permitted; epoll refused: Function not implemented");
  }

  @Test
  void autoCopesWithNativeClassesMissingFromTheClassPath() {
    SelectedTransport chosen = new TransportSelector(null, EPOLL_OK).select("transport", TransportPreference.AUTO);
    assertThat(chosen.transport()).isSameAs(EPOLL_OK);
    assertThat(chosen.fallbackReason())
        .isEqualTo("io_uring refused: netty-transport-native-io_uring is not on the class path");
  }

  @Test
  void anExplicitlyRequestedTransportIsTakenWithoutFallbackReason() {
    TransportSelector selector = new TransportSelector(IO_URING_OK, EPOLL_OK);
    assertThat(selector.select("transport", TransportPreference.EPOLL).transport()).isSameAs(EPOLL_OK);
    assertThat(selector.select("transport", TransportPreference.IO_URING).transport()).isSameAs(IO_URING_OK);
    assertThat(selector.select("transport", TransportPreference.NIO).transport()).isSameAs(Transport.NIO);
    assertThat(selector.select("transport", TransportPreference.NIO).fallback()).isEmpty();
  }

  @Test
  void anExplicitlyRequestedUnavailableTransportIsAnErrorNamingTheKeyAndTheCause() {
    TransportSelector selector = new TransportSelector(IO_URING_REFUSED, null);
    assertThatThrownBy(() -> selector.select("transport", TransportPreference.IO_URING))
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("transport: io_uring is not available here: Operation not permitted")
        .extracting(e -> ((TransportException) e).key()).isEqualTo("transport");
    assertThatThrownBy(() -> selector.select("transport", TransportPreference.EPOLL))
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("transport: epoll is not available here: "
            + "netty-transport-native-epoll is not on the class path");
  }

  /** A transport as Vert.x describes one; never used to build an instance. */
  private record FakeTransport(String name, Throwable unavailabilityCause) implements Transport {

    @Override
    public boolean available() {
      return unavailabilityCause == null;
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new UnsupportedOperationException("not a real transport");
    }
  }
}
