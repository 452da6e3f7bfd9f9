package dev.fanin.fetch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Resolves upstream host names to the address fanin will connect to, through the system's resolver
 * (hosts file, then DNS) on a small worker pool, never on an event loop. Answers are kept for
 * {@link #TTL}, at most {@link #MAX_NAMES} names, so a burst of sources on one host asks once.
 * (Vert.x's own resolver has no public API; this one needs none.)
 */
public final class HostResolver {
  static final Duration TTL = Duration.ofSeconds(30);
  static final int MAX_NAMES = 10_000;
  static final int THREADS = 4;
  private final WorkerExecutor workers;
  private final AsyncCache<String, InetAddress> answers = Caffeine.newBuilder()
      .expireAfterWrite(TTL)
      .maximumSize(MAX_NAMES)
      .executor(Runnable::run)
      .buildAsync();

  public HostResolver(Vertx vertx) {
    this.workers = vertx.createSharedWorkerExecutor("fanin-dns", THREADS, 30, TimeUnit.SECONDS);
  }

  /** The address of a host name; fails with UnknownHostException when there is none. */
  public Future<InetAddress> resolve(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return Future.fromCompletionStage(answers.get(name, (key, executor) ->
        workers.executeBlocking(() -> InetAddress.getByName(key), false).toCompletionStage().toCompletableFuture()))
        .recover(t -> {
          answers.synchronous().invalidate(name); // a failure is not kept
          return Future.failedFuture(t instanceof UnknownHostException ? t : new UnknownHostException(host));
        });
  }
}
