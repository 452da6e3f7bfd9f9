package dev.fanin;

import dev.fanin.aggregate.FeedDecoder;
import dev.fanin.aggregate.LoadShedder;
import dev.fanin.aggregate.FeedParserDecoder;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.LiveConfig;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.security.ApiKeys;
import dev.fanin.security.RateLimiter;
import io.vertx.core.Vertx;

/**
 * The things a process has once, shared by every verticle instance: breakers per origin, the
 * bound on aggregations in flight, the API keys and their rate limits.
 */
public record ProcessServices(BreakerRegistry breakers, LoadShedder shedder, ApiKeys keys, RateLimiter rates,
    FaninMetrics metrics, java.util.concurrent.atomic.AtomicBoolean ready, LiveConfig live,
    FeedDecoder feedDecoder, LoadShedder upstreamSlots, dev.fanin.cache.ResponseCache cache,
    dev.fanin.cache.Coalescer coalescer, dev.fanin.cluster.PollerView pollers, dev.fanin.fetch.Lanes lanes,
    dev.fanin.policy.DemoHosts demo, dev.fanin.policy.LoopMark mark, dev.fanin.fetch.OriginGates gates,
    dev.fanin.fetch.ProcessBytes processBytes, dev.fanin.feeds.FeedRunHub hub) {

  public static ProcessServices create(Vertx vertx, LiveConfig live, FaninMetrics metrics) {
    FaninConfig config = live.get();
    LoadShedder shedder = new LoadShedder();
    metrics.aggregationsInFlight(shedder::inFlight);
    ProcessServices services = new ProcessServices(
        new BreakerRegistry(vertx, config.breaker(), metrics),
        shedder,
        new ApiKeys(config.security().apiKeys()),
        new RateLimiter(config.security().requestsPerSecondPerKey(), config.security().burstPerKey()),
        metrics,
        new java.util.concurrent.atomic.AtomicBoolean(),
        live,
        new FeedParserDecoder((int) Math.min(Integer.MAX_VALUE, config.source().maxBodyBytes())),
        new LoadShedder(),
        new dev.fanin.cache.ResponseCache(config.cache().maxBytes(), config.cache().clientShareBytes()),
        new dev.fanin.cache.Coalescer(vertx),
        new dev.fanin.cluster.PollerView(),
        new dev.fanin.fetch.Lanes(),
        new dev.fanin.policy.DemoHosts(config.demo().enabled()),
        new dev.fanin.policy.LoopMark(),
        // client.* shapes the connection pools at start, so the gates keep the start's values too
        new dev.fanin.fetch.OriginGates(vertx, config.client()::maxConnectionsPerOrigin,
            config.client()::maxWaitQueue),
        new dev.fanin.fetch.ProcessBytes(dev.fanin.fetch.ProcessBytes.size(config.aggregate().maxProcessBytes(),
            Runtime.getRuntime().maxMemory())),
        new dev.fanin.feeds.FeedRunHub(config.feeds().maxSubscribers(), config.feeds().maxSubscribersPerFeed()));
    metrics.memory(services.processBytes()::held, services.processBytes().max());
    metrics.originQueues(services.gates()::waiting, services.gates()::size);
    java.util.concurrent.atomic.AtomicReference<FaninConfig.Breaker> breakerConfig =
        new java.util.concurrent.atomic.AtomicReference<>(config.breaker());
    live.onChange(next -> {
      services.keys().replace(next.security().apiKeys());
      services.rates().reconfigure(next.security().requestsPerSecondPerKey(), next.security().burstPerKey());
      services.rates().retainOnly(next.security().apiKeys().stream().map(FaninConfig.ApiKey::id)
          .collect(java.util.stream.Collectors.toSet()));
      if (!next.breaker().equals(breakerConfig.getAndSet(next.breaker()))) {
        services.breakers().reconfigure(next.breaker());
      }
    });
    return services;
  }
}
