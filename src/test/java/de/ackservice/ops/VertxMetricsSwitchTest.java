package de.ackservice.ops;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics switch: a Vert.x instance built before the configuration is read records its servers' traffic only
 * when metrics were then turned on; with them off its servers get no metrics at all.
 */
class VertxMetricsSwitchTest {

  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void serversCreatedWhileOffRecordNothing() throws Exception {
    VertxMetrics metrics = new VertxMetrics();
    vertx = metrics.builder(new VertxOptions()).build();
    metrics.collect(false);
    echoOnce();
    assertThat(metrics.registry().scrape()).doesNotContain("vertx_net_server");
  }

  @Test
  void serversCreatedWhileOnRecordTheirBytes() throws Exception {
    VertxMetrics metrics = new VertxMetrics();
    vertx = metrics.builder(new VertxOptions()).build();
    metrics.collect(true);
    echoOnce();
    assertThat(metrics.registry().scrape()).contains("vertx_net_server_bytes_read_total");
  }

  /** A server on loopback that echoes, and one exchange of 5 bytes with it. */
  private void echoOnce() throws Exception {
    NetServer server = vertx.createNetServer()
      .connectHandler(socket -> socket.handler(socket::write))
      .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    NetSocket client = vertx.createNetClient().connect(server.actualPort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    io.vertx.core.Promise<Buffer> echoed = io.vertx.core.Promise.promise();
    client.handler(echoed::tryComplete);
    client.write(Buffer.buffer("hello"));
    assertThat(echoed.future().await(10, TimeUnit.SECONDS).toString()).isEqualTo("hello");
    client.close().await(10, TimeUnit.SECONDS);
  }
}
