/**
 * Which socket transport a Vert.x instance of this process runs on: the {@code transport} setting ({@code auto},
 * {@code io_uring}, {@code epoll}, {@code nio}) for the server, the client and the load generator alike.
 *
 * <p>Its own package because all three entry points use it and none owns it; it depends on nothing of ours.
 *
 * <p>Wiring (one Vert.x instance per process, its transport fixed when it is built): the {@code transport} key is
 * one of the keys that shape the Vert.x instance ({@code config.VertxShape}), read before the instance exists from the
 * same layers as the rest; {@code VertxShape.selectTransport()} calls {@link de.ackservice.transport.TransportSelector}
 * and turns a {@link de.ackservice.transport.TransportException} into the configuration error that exits 78. The
 * server builds in {@code AckApplication.createVertxBuilder} (on a {@code GatedTransport}), the client in
 * {@code ClientMain} (on a {@link de.ackservice.transport.PollableTransport}), {@code bench} in {@code BenchMain}.
 * Start-up line: {@code transport=} {@link
 * de.ackservice.transport.SelectedTransport#describe()} ({@code io_uring}, or {@code epoll (io_uring refused:
 * Operation not permitted)}); metrics: {@code ack_transport_info{transport="io_uring"} 1}.
 *
 * Do not also call {@code VertxOptions.setPreferNativeTransport(true)}: {@code withTransport} decides, and with
 * preferNativeTransport alone Vert.x 5.0 takes epoll even where io_uring is available.
 */
package de.ackservice.transport;
