package dev.fanin.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fanin.config.FaninConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;

/**
 * One circuit breaker per upstream origin for the whole process, shared by every verticle
 * instance. Bounded: the least recently used origins are forgotten past breaker.maxOrigins.
 */
public final class BreakerRegistry {
  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final Cache<String, CircuitBreaker> breakers;

  public BreakerRegistry(Vertx vertx, FaninConfig.Breaker config) {
    this.vertx = vertx;
    this.options = new CircuitBreakerOptions()
        .setMaxFailures(config.maxFailures())
        .setTimeout(-1)
        .setResetTimeout(config.resetTimeoutMs())
        .setFailuresRollingWindow(config.rollingWindowMs())
        .setFallbackOnFailure(false);
    this.breakers = Caffeine.newBuilder()
        .maximumSize(config.maxOrigins())
        .expireAfterAccess(Duration.ofHours(1))
        .executor(Runnable::run)
        .removalListener((String origin, CircuitBreaker breaker, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          if (breaker != null) {
            breaker.close();
          }
        })
        .build();
  }

  /** The breaker of an origin, created closed on first use. */
  public CircuitBreaker forOrigin(String origin) {
    return breakers.get(origin, o -> CircuitBreaker.create(o, vertx, options)
        .failurePolicy(BreakerRegistry::isOriginFailure));
  }

  /** A snapshot of the known origins and their breakers. */
  public Map<String, CircuitBreaker> snapshot() {
    return Map.copyOf(breakers.asMap());
  }

  /**
   * Whether an outcome speaks against the origin's health: connect errors, timeouts and 5xx
   * answers do; a 4xx answer, an oversized or cancelled response, or fanin's own refusal do not.
   */
  static boolean isOriginFailure(Future<Object> outcome) {
    if (outcome.succeeded()) {
      return false;
    }
    Throwable cause = outcome.cause();
    if (cause instanceof ServerErrorSignal) {
      return true;
    }
    ErrorKind kind = FetchException.kindOf(cause);
    return kind == ErrorKind.CONNECT || kind == ErrorKind.TIMEOUT;
  }

  /** Carries a 5xx response through the breaker as a failure, to be unwrapped after it. */
  static final class ServerErrorSignal extends RuntimeException {
    final FetchResponse response;

    ServerErrorSignal(FetchResponse response) {
      super("HTTP " + response.status(), null, false, false);
      this.response = response;
    }
  }
}
