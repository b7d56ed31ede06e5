package de.ackservice.overload;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The metrics of {@link Overload}, read at scrape time (nothing is touched per message). Hook: one bind call. */
public final class OverloadMetrics {

  private OverloadMetrics() {
  }

  public static void bind(MeterRegistry registry, Overload overload) {
    ClientAddressLimiter clients = overload.clients();
    FunctionCounter.builder("ack.connections.client.limit.rejected", clients, ClientAddressLimiter::rejected)
      .description("Connections closed at once because their client address had maxConnectionsPerClient open")
      .register(registry);
    Gauge.builder("ack.connections.client.addresses", clients, ClientAddressLimiter::trackedAddresses)
      .description("Client addresses with open connections, as tracked for maxConnectionsPerClient")
      .strongReference(true).register(registry);

    MemoryPressure memory = overload.memory();
    FunctionCounter.builder("ack.connections.memory.rejected", memory, MemoryPressure::rejected)
      .description("Connections refused at once under memory pressure (overloadMemoryFraction)").register(registry);
    Gauge.builder("ack.memory.pressure", memory, m -> m.overloaded() ? 1 : 0)
      .description("1 while new connections are refused for memory pressure").strongReference(true).register(registry);
    Gauge.builder("ack.memory.heap.after.gc.ratio", memory, MemoryPressure::heapAfterGcFraction)
      .description("Heap in use after the last GC / max heap").strongReference(true).register(registry);
    Gauge.builder("ack.memory.direct.ratio", memory, MemoryPressure::directFraction)
      .description("Netty direct memory in use / its maximum").strongReference(true).register(registry);

    AcceptFailures accepts = overload.acceptFailures();
    FunctionCounter.builder("ack.accept.failures", accepts, AcceptFailures::failures)
      .description("accept() failures for lack of file descriptors (Netty pauses accepting 1 s after each)")
      .tag("reason", "too many open files").register(registry);
    Gauge.builder("ack.accept.exhausted", accepts, a -> a.exhausted() ? 1 : 0)
      .description("1 from a failed accept until the next accepted connection").strongReference(true)
      .register(registry);

    HandshakeFailures handshakes = overload.handshakes();
    for (HandshakeFailures.Kind kind : HandshakeFailures.KINDS) {
      FunctionCounter.builder("ack.handshake.failures", handshakes, h -> h.count(kind))
        .description("Connections closed before being served, by stage and reason")
        .tags("stage", kind.stage().label, "reason", kind.reason().label).register(registry);
    }
  }
}
