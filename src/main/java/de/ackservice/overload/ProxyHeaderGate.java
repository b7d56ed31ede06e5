package de.ackservice.overload;

import de.ackservice.overload.HandshakeFailures.Reason;
import de.ackservice.overload.HandshakeFailures.Stage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a connection that must start with a PROXY protocol header, in front of Netty's decoder that
 * Vert.x installs. It does two things Vert.x 5.0 does not:
 * <ul>
 *   <li>closes a connection as soon as a received byte rules a header out (v1 starts {@code "PROXY "}, v2 with its
 *       12-byte signature), where the decoder would wait for a CRLF or 108 bytes, up to the header deadline;</li>
 *   <li>logs and counts, with the socket's address, a connection whose header never came: Vert.x closes it at
 *       {@code handshakeTimeoutMs} without any report.</li>
 * </ul>
 * Bytes are passed on untouched as they come; once a header can begin, only the deadline is watched. Installed per
 * accepted channel by {@link GatedTransport}.
 */
final class ProxyHeaderGate extends ChannelInboundHandlerAdapter {

  private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private final HandshakeFailures failures;
  private final long deadlineNanos;
  private final long openedNanos = System.nanoTime();
  private boolean couldBeV1 = true;
  private boolean couldBeV2 = true;
  private int seen;
  private boolean decided;
  private String remote;

  ProxyHeaderGate(HandshakeFailures failures, long deadlineMs) {
    this.failures = failures;
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!decided && msg instanceof ByteBuf bytes) {
      for (int i = bytes.readerIndex(); i < bytes.writerIndex() && (couldBeV1 || couldBeV2); i++, seen++) {
        byte b = bytes.getByte(i);
        couldBeV1 &= seen >= V1.length || V1[seen] == b;
        couldBeV2 &= seen >= V2.length || V2[seen] == b;
        if ((couldBeV1 && seen + 1 >= V1.length) || (couldBeV2 && seen + 1 >= V2.length)) {
          decided = true; // a header begins: the decoder takes it from here, the deadline is still watched
          break;
        }
      }
      if (!couldBeV1 && !couldBeV2) {
        decided = true;
        ReferenceCountUtil.release(msg);
        refuse(ctx, Reason.BAD_HEADER, "bad header: the first bytes cannot begin a PROXY header");
        ctx.close();
        return;
      }
    }
    if (ctx.pipeline().get(HAProxyMessageDecoder.class) == null) {
      ctx.pipeline().remove(this); // the header is done: nothing left to watch, off the hot path
      ctx.fireChannelRead(msg);
      return;
    }
    // A header that begins well but is malformed fails inside this call; Vert.x then tells the server's exception
    // handler, synchronously and without the connection: it finds the address here.
    HandshakeFailures.PROXY_READ_IN_PROGRESS.set(remote(ctx));
    try {
      ctx.fireChannelRead(msg);
    } finally {
      HandshakeFailures.PROXY_READ_IN_PROGRESS.remove();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = HandshakeFailures.describe(ctx.channel().remoteAddress());
    ctx.fireChannelActive();
  }

  private String remote(ChannelHandlerContext ctx) {
    return remote != null ? remote : HandshakeFailures.describe(ctx.channel().remoteAddress());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Closed with Netty's decoder still waiting, at the deadline: Vert.x's header timeout (it reports nothing).
    if (ctx.pipeline().get(HAProxyMessageDecoder.class) != null && !(decided && !couldBeV1 && !couldBeV2)
      && System.nanoTime() - openedNanos >= deadlineNanos) {
      refuse(ctx, Reason.TIMEOUT, "timeout");
    }
    ctx.fireChannelInactive();
  }

  private void refuse(ChannelHandlerContext ctx, Reason reason, String detail) {
    failures.refused(Stage.PROXY, reason, remote(ctx), detail);
  }
}
