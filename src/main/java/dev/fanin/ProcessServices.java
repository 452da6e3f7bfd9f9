package dev.fanin;

import dev.fanin.aggregate.LoadShedder;
import dev.fanin.config.FaninConfig;
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
    FaninMetrics metrics, java.util.concurrent.atomic.AtomicBoolean ready) {

  public static ProcessServices create(Vertx vertx, FaninConfig config, FaninMetrics metrics) {
    LoadShedder shedder = new LoadShedder(config.aggregate().maxInFlight());
    metrics.aggregationsInFlight(shedder::inFlight);
    return new ProcessServices(
        new BreakerRegistry(vertx, config.breaker(), metrics),
        shedder,
        new ApiKeys(config.security().apiKeys()),
        new RateLimiter(config.security().requestsPerSecondPerKey(), config.security().burstPerKey()),
        metrics,
        new java.util.concurrent.atomic.AtomicBoolean());
  }
}
