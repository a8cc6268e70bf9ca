package dev.lifeline.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.Informer;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class RealInformerTest {
  private static final WatchEvent<Pod> CLOSED = WatchEvent.bookmark("closed", false);

  /** A server whose watch blocks until events are pushed or it is closed. */
  private static final class BlockingServer implements ListWatch<Pod> {
    final BlockingQueue<WatchEvent<Pod>> events = new LinkedBlockingQueue<>();

    @Override
    public ResourceList<Pod> list(String resourceVersion, String continueToken, long limit) {
      return new ResourceList<>(List.of(FakeListWatch.pod("a", "u-a", "1")), "1", null, null);
    }

    @Override
    public WatchStream<Pod> watch(WatchOptions options) {
      return new WatchStream<>() {
        private volatile boolean closed;

        @Override
        public WatchEvent<Pod> next() throws IOException {
          try {
            WatchEvent<Pod> event = events.take();
            if (event == CLOSED || closed) {
              throw new IOException("closed");
            }
            return event;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
        }

        @Override
        public void close() {
          closed = true;
          events.add(CLOSED);
        }
      };
    }
  }

  private static boolean informerThreadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("lifeline-informer-" + name) && t.isAlive());
  }

  @Test
  void anInformerSyncsDeliversOnItsOwnThreadAndStopsPromptlyOnClose() throws Exception {
    BlockingServer server = new BlockingServer();
    List<String> calls = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      Informer<Pod> informer =
          new RealInformer.Builder<>(
                  new RealInformer.Builder.Factory<Pod>() {
                    @Override
                    public ListWatch<Pod> source(String ns, String labels, String fields) {
                      return server;
                    }

                    @Override
                    public Timer timer() {
                      return (delay, task) -> {
                        var f =
                            timer.schedule(
                                task, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                        return () -> f.cancel(false);
                      };
                    }

                    @Override
                    public void started(RealInformer<?> informer) {}

                    @Override
                    public void closed(RealInformer<?> informer) {}
                  },
                  "pods")
              .name("threading-test")
              .watchList(false)
              .handler(
                  new ResourceHandler<Pod>() {
                    @Override
                    public void onAdd(Pod object, boolean isInInitialList) {
                      calls.add("add " + object.name());
                      threads.add(Thread.currentThread().getName());
                    }

                    @Override
                    public void onUpdate(Pod oldObject, Pod newObject) {
                      calls.add("update " + newObject.name());
                      threads.add(Thread.currentThread().getName());
                    }
                  })
              .start();

      assertThat(informer.awaitSynced(Duration.ofSeconds(5))).isTrue();
      assertThat(informer.store().get("ns", "a")).isPresent();
      server.events.add(FakeListWatch.modified(FakeListWatch.pod("a", "u-a", "2")));
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("update a"));
      assertThat(informer.store().get("ns", "a").orElseThrow().metadata().resourceVersion())
          .isEqualTo("2");
      assertThat(threads).containsOnly("lifeline-informer-threading-test");

      long start = System.nanoTime();
      informer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(informerThreadAlive("threading-test")).isFalse();
      informer.close();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void closingCancelsARequestTheInformerIsBlockedIn() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch listing = new CountDownLatch(1);
    ListWatch<Pod> stuck =
        new ListWatch<>() {
          @Override
          public ResourceList<Pod> list(String rv, String cont, long limit) {
            listing.countDown();
            try {
              cancelled.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new dev.lifeline.client.KubeException("canceled");
          }

          @Override
          public WatchStream<Pod> watch(WatchOptions options) {
            throw new dev.lifeline.client.KubeException("not expected");
          }

          @Override
          public void cancel() {
            cancelled.countDown();
          }
        };
    Informer<Pod> informer =
        new RealInformer.Builder<>(
                new RealInformer.Builder.Factory<Pod>() {
                  @Override
                  public ListWatch<Pod> source(String ns, String labels, String fields) {
                    return stuck;
                  }

                  @Override
                  public Timer timer() {
                    return (delay, task) -> () -> {};
                  }

                  @Override
                  public void started(RealInformer<?> informer) {}

                  @Override
                  public void closed(RealInformer<?> informer) {}
                },
                "pods")
            .name("stuck-test")
            .watchList(false)
            .start();
    assertThat(listing.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    informer.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(informerThreadAlive("stuck-test")).isFalse();
    assertThat(informer.hasSynced()).isFalse();
  }
}
