package dev.lifeline.testkit.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cause of the FaultsIT flake (a connect succeeding after a graceful stop): a NIO listener's
 * close future completes before its socket is closed, which happens at its event loop's next
 * select. The event loop is held busy here exactly between the two, as a loaded machine does by
 * chance.
 */
class ListenerCloseTest {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  @Test
  void theListenerIsReleasedOnlyWhenItsEventLoopHasSelectedAgain() throws Exception {
    Channel listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInboundHandlerAdapter())
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    SingleThreadEventExecutor loop = (SingleThreadEventExecutor) listener.eventLoop();
    CountDownLatch beforeClose = new CountDownLatch(1);
    CountDownLatch afterClose = new CountDownLatch(1);
    loop.execute(() -> awaitQuietly(beforeClose));

    CompletableFuture<Boolean> released =
        CompletableFuture.supplyAsync(
            () -> ListenerClose.closeAndRelease(listener, Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(5)).until(() -> loop.pendingTasks() >= 1);
    loop.execute(() -> awaitQuietly(afterClose));
    beforeClose.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> !listener.isOpen());

    // Netty says closed, the loop has not selected since: the kernel still accepts connections.
    try (Socket s = new Socket()) {
      s.connect(address, 1000);
    }
    assertThat(released).isNotDone();

    afterClose.countDown();
    assertThat(released.get(5, TimeUnit.SECONDS)).isTrue();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(address, 1000)).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aListenerOfAStoppedEventLoopCountsAsReleased() throws Exception {
    Channel listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInboundHandlerAdapter())
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();

    assertThat(ListenerClose.closeAndRelease(listener, Duration.ofSeconds(5))).isTrue();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(address, 1000)).isInstanceOf(ConnectException.class);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
