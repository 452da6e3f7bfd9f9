package dev.fanin.aggregate;

import dev.fanin.ProcessServices;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.LiveConfig;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.FetchPipeline;
import dev.fanin.fetch.HttpFetcher;
import dev.fanin.policy.UpstreamPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * Builds an aggregator with its own upstream HTTP client, for a verticle's event loop. Requests in
 * flight per origin are bounded process-wide by the origin's gate (client.maxConnectionsPerOrigin),
 * so each client's pool may hold that many: a request admitted by the gate never waits in a pool's
 * queue, where the connect timeout would fail it. Call from the verticle's start, so the client is
 * closed with the verticle.
 */
public final class Aggregators {
  static final int DECODE_THREADS = 2;
  private Aggregators() {}

  public static Aggregator create(Vertx vertx, FaninConfig config, ProcessServices services) {
    return create(vertx, config, services, false);
  }

  /**
   * As above; with {@code lane}, the client also serves the other loops' large aggregations (see
   * {@link dev.fanin.fetch.Lanes}) until the calling verticle stops.
   */
  public static Aggregator create(Vertx vertx, FaninConfig config, ProcessServices services, boolean lane) {
    BreakerRegistry breakers = services.breakers();
    FaninConfig.Client c = config.client();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions()
            .setConnectTimeout(c.connectTimeoutMs())
            .setKeepAlive(true)
            .setKeepAliveTimeout(c.keepAliveSeconds())
            // fanin decodes bodies itself: only what it asked for, counted as they inflate
            .setDecompressionSupported(false),
        new PoolOptions()
            .setHttp1MaxSize(c.maxConnectionsPerOrigin())
            .setMaxWaitQueueSize(c.maxConnectionsPerOrigin()));
    HttpFetcher http = new HttpFetcher(vertx, client, c.connectTimeoutMs(), services.upstreamSlots(),
        () -> config.client().maxConnections(), services.mark());
    if (lane) {
      io.vertx.core.internal.ContextInternal context = (io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext();
      Runnable remove = services.lanes().add(context, http);
      context.addCloseHook(completion -> {
        remove.run();
        completion.succeed();
      });
    }
    LiveConfig live = services.live();
    UpstreamPolicy policy = new UpstreamPolicy(() -> live.get().upstream(), services.demo());
    // one small pool for the process (shared by name): feed parsing and large projections
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("fanin-decode", DECODE_THREADS, 30, TimeUnit.SECONDS);
    ResultDecoder decoder = new ResultDecoder(workers, services.feedDecoder());
    return new Aggregator(vertx, new FetchPipeline(vertx, http, breakers, () -> live.get().retry(), policy, services.metrics(), services.cache(), services.coalescer(), services.lanes(), services.gates(),
        () -> live.get().cache().credentialHeaders()), live, services.shedder(),
        services.metrics(), decoder, services.processBytes());
  }
}
