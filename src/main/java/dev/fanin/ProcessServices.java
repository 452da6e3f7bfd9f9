package dev.fanin;

import dev.fanin.aggregate.LoadShedder;
import dev.fanin.config.FaninConfig;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.security.ApiKeys;
import dev.fanin.security.RateLimiter;
import io.vertx.core.Vertx;

/**
 * The things a process has once, shared by every verticle instance: breakers per origin, the
 * bound on aggregations in flight, the API keys and their rate limits.
 */
public record ProcessServices(BreakerRegistry breakers, LoadShedder shedder, ApiKeys keys, RateLimiter rates) {

  public static ProcessServices create(Vertx vertx, FaninConfig config) {
    return new ProcessServices(
        new BreakerRegistry(vertx, config.breaker()),
        new LoadShedder(config.aggregate().maxInFlight()),
        new ApiKeys(config.security().apiKeys()),
        new RateLimiter(config.security().requestsPerSecondPerKey(), config.security().burstPerKey()));
  }
}
