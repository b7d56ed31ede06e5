/**
 * Which socket transport a Vert.x instance of this process runs on: the {@code transport} setting ({@code auto},
 * {@code io_uring}, {@code epoll}, {@code nio}) for the server, the client and the load generator alike.
 *
 * <p>Its own package because all three entry points use it and none owns it; it depends on nothing of ours.
 *
 * <p>Wiring (one Vert.x instance per process, its transport fixed when it is built):
 * <pre>{@code
 * // after the configuration is parsed (before any Vert.x instance exists):
 * SelectedTransport transport = TransportSelector.ofThisPlatform()
 *     .select("transport", TransportPreference.parse("transport", value));   // TransportException -> exit 78
 * // the launcher hook VertxApplicationHooks#createVertxBuilder(VertxOptions), or Vertx.builder() in client/bench:
 * return Vertx.builder().with(options).withTransport(transport.transport());
 * // start-up line: "transport: " + transport.describe()
 * //   -> "io_uring", or "epoll (io_uring refused: Operation not permitted)"
 * // metrics: a gauge ack_transport_info{transport="<transport.name()>"} 1
 * }</pre>
 * Do not also call {@code VertxOptions.setPreferNativeTransport(true)}: {@code withTransport} decides, and with
 * preferNativeTransport alone Vert.x 5.0 takes epoll even where io_uring is available.
 */
package de.ackservice.transport;
