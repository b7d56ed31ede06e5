package de.ackservice.overload;

import de.ackservice.config.KeepAliveConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keepalive timing set as the bootstrap's child options reaches every accepted socket: idle, interval and count
 * read back from a socket accepted over loopback, with the epoll transport and with NIO.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeepAliveTimingTest {

  @ParameterizedTest(name = "transport: {0}")
  @ValueSource(strings = {"epoll", "nio"})
  void idleIntervalAndCountReachTheAcceptedSocket(String transport) throws Exception {
    boolean epoll = transport.equals("epoll");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    CompletableFuture<List<Integer>> readBack = new CompletableFuture<>();
    try {
      ServerBootstrap bootstrap = new ServerBootstrap().group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel child) {
            readBack.complete(epoll
              ? List.of(child.config().getOption(EpollChannelOption.TCP_KEEPIDLE),
                child.config().getOption(EpollChannelOption.TCP_KEEPINTVL),
                child.config().getOption(EpollChannelOption.TCP_KEEPCNT))
              : List.of(child.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)),
                child.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)),
                child.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT))));
          }
        });
      KeepAliveTiming.apply(bootstrap, transport, new KeepAliveConfig(true, 50, 7, 3));
      ServerChannel listening = (ServerChannel) bootstrap.bind("127.0.0.1", 0).sync().channel();
      try (Socket client = new Socket()) {
        client.connect(listening.localAddress(), 5000);
        assertThat(readBack.get(10, TimeUnit.SECONDS)).containsExactly(50, 7, 3);
      } finally {
        listening.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
