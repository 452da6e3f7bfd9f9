package dev.fanin;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.AggregatorFactory;
import dev.fanin.aggregate.FeedDecoder;
import dev.fanin.aggregate.LoadShedder;
import dev.fanin.aggregate.ResultDecoder;
import dev.fanin.cache.Coalescer;
import dev.fanin.cache.ResponseCache;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.LiveConfig;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.Hedges;
import dev.fanin.fetch.HostResolver;
import dev.fanin.fetch.HttpFetcher;
import dev.fanin.fetch.Lanes;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.fetch.OriginGates;
import dev.fanin.fetch.ProcessBytes;
import dev.fanin.fetch.UpstreamSlots;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.pipeline.FetchPipeline;
import dev.fanin.policy.LoopMark;
import dev.fanin.policy.UpstreamPolicy;
import dev.fanin.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Builds each event loop's aggregator from the process-wide parts (see {@link Fanin}): its own
 * upstream HTTP client, whose pool may hold a whole origin's limit (requests in flight per origin
 * are bounded process-wide by the origin's gate, so none waits in a pool's queue), over the one
 * fetch pipeline.
 */
record EventLoopAggregators(
    FaninConfig config,
    LiveConfig live,
    BreakerRegistry breakers,
    LoadShedder aggregationsInFlight,
    UpstreamSlots upstreamSlots,
    FaninMetrics metrics,
    FeedDecoder feedDecoder,
    ResponseCache cache,
    Coalescer coalescer,
    Lanes lanes,
    OriginGates gates,
    ClientBudgets clientBudgets,
    UpstreamPolicy policy,
    LoopMark mark,
    ProcessBytes processBytes,
    HostResolver resolver,
    Hedges hedges,
    Tracing tracing) implements AggregatorFactory {

  /** Threads of the one small pool (shared by name) for feed parsing and large projections. */
  static final int DECODE_THREADS = 2;

  @Override
  public Aggregator create(Vertx vertx, boolean lane) {
    FaninConfig.Client c = config.client();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions()
            .setConnectTimeout(c.connectTimeoutMs())
            .setKeepAlive(true)
            .setKeepAliveTimeout(c.keepAliveSeconds())
            // fanin decodes bodies itself: only what it asked for, counted as they inflate
            .setDecompressionSupported(false)
            // fanin makes each attempt's client span itself (HttpFetcher), with its traceparent
            .setTracingPolicy(TracingPolicy.IGNORE),
        new PoolOptions()
            .setHttp1MaxSize(c.maxConnectionsPerOrigin())
            .setMaxWaitQueueSize(c.maxConnectionsPerOrigin()));
    HttpFetcher http = new HttpFetcher(vertx, client, c.connectTimeoutMs(), upstreamSlots,
        () -> config.client().maxConnections(), mark);
    Runnable leaveLanes = lane ? lanes.add(vertx.getOrCreateContext(), http) : () -> { };
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("fanin-decode", DECODE_THREADS, 30, TimeUnit.SECONDS);
    FetchPipeline pipeline = new FetchPipeline(vertx, http, breakers, () -> live.get().retry(), policy, metrics,
        cache, coalescer, lanes, gates, clientBudgets, () -> live.get().cache().credentialHeaders(), resolver, hedges);
    return new Aggregator(vertx, pipeline, live, aggregationsInFlight, metrics, new ResultDecoder(workers, feedDecoder),
        processBytes, leaveLanes, tracing);
  }
}
