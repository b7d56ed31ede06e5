package de.ackservice.overload;

import de.ackservice.config.KeepAliveConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keepalive timing (idle, interval, count) of accepted sockets, as child options of the server's bootstrap, so
 * that every accepted channel gets them from Netty before Vert.x sees it. Vert.x 5.0's {@code NetServerOptions} turns
 * SO_KEEPALIVE on ({@code setTcpKeepAlive}) but has no timing (the kernel's defaults are 2 h idle, 75 s, 9 probes).
 * The option constants belong to the transport: the epoll and io_uring ones (looked up by their pooled names, the very
 * constants those channels compare against, without a compile-time dependency on either), or the JDK's extended
 * socket options with NIO.
 */
final class KeepAliveTiming {

  private static final Logger log = LoggerFactory.getLogger(KeepAliveTiming.class);

  private KeepAliveTiming() {
  }

  /** @param transport the Vert.x transport's name: {@code epoll}, {@code io_uring}, {@code nio}, {@code kqueue} */
  static void apply(ServerBootstrap bootstrap, String transport, KeepAliveConfig keepAlive) {
    switch (transport) {
      case "epoll" -> native_(bootstrap, "io.netty.channel.epoll.EpollChannelOption", keepAlive);
      case "io_uring" -> native_(bootstrap, "io.netty.channel.uring.IoUringChannelOption", keepAlive);
      case "nio" -> {
        bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepAlive.idleSeconds());
        bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepAlive.intervalSeconds());
        bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepAlive.count());
      }
      default -> log.warn("tcpKeepAlive: the {} transport keeps the kernel's keepalive timing", transport);
    }
  }

  private static void native_(ServerBootstrap bootstrap, String optionClass, KeepAliveConfig keepAlive) {
    bootstrap.childOption(option(optionClass, "TCP_KEEPIDLE"), keepAlive.idleSeconds());
    bootstrap.childOption(option(optionClass, "TCP_KEEPINTVL"), keepAlive.intervalSeconds());
    bootstrap.childOption(option(optionClass, "TCP_KEEPCNT"), keepAlive.count());
  }

  private static ChannelOption<Integer> option(String optionClass, String name) {
    return ChannelOption.valueOf(optionClass + "#" + name);
  }
}
