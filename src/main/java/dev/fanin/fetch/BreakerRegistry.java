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
import dev.fanin.metrics.FaninMetrics;
import io.micrometer.core.instrument.Meter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per upstream origin for the whole process, shared by every verticle
 * instance. Bounded: the least recently used origins are forgotten past breaker.maxOrigins.
 */
public final class BreakerRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(BreakerRegistry.class);
  private final Vertx vertx;
  private volatile CircuitBreakerOptions options;
  private volatile int minTimeoutMs;
  private final Cache<String, CircuitBreaker> breakers;
  private final FaninMetrics metrics;
  private final Map<String, Meter> gauges = new ConcurrentHashMap<>();
  private final Map<String, Long> lastTransition = new ConcurrentHashMap<>();

  public BreakerRegistry(Vertx vertx, FaninConfig.Breaker config, FaninMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.options = options(config);
    this.minTimeoutMs = config.minTimeoutMs();
    this.breakers = Caffeine.newBuilder()
        .maximumSize(config.maxOrigins())
        .expireAfterAccess(Duration.ofHours(1))
        .executor(Runnable::run)
        .removalListener((String origin, CircuitBreaker breaker, RemovalCause cause) -> {
          if (breaker != null) {
            breaker.close();
          }
          metrics.remove(gauges.remove(origin));
          lastTransition.remove(origin);
        })
        .build();
  }

  private static CircuitBreakerOptions options(FaninConfig.Breaker config) {
    return new CircuitBreakerOptions()
        .setMaxFailures(config.maxFailures())
        .setTimeout(-1)
        .setResetTimeout(config.resetTimeoutMs())
        .setFailuresRollingWindow(config.rollingWindowMs())
        .setFallbackOnFailure(false);
  }

  /**
   * New thresholds (live configuration). Vert.x breakers cannot change theirs, so every breaker is
   * replaced by a closed one with the new thresholds.
   */
  public void reconfigure(FaninConfig.Breaker config) {
    this.options = options(config);
    this.minTimeoutMs = config.minTimeoutMs();
    breakers.invalidateAll();
  }

  /** Per-attempt timeouts shorter than this are the client's choice and never count (breaker.minTimeoutMs). */
  public int minTimeoutMs() {
    return minTimeoutMs;
  }

  /** The breaker of an origin, created closed on first use. */
  public CircuitBreaker forOrigin(String origin) {
    return breakers.get(origin, this::create);
  }

  private CircuitBreaker create(String origin) {
    CircuitBreaker breaker = CircuitBreaker.create(origin, vertx, options)
        .failurePolicy(BreakerRegistry::isOriginFailure);
    breaker.openHandler(v -> transition(origin, "open"))
        .halfOpenHandler(v -> transition(origin, "half_open"))
        .closeHandler(v -> transition(origin, "closed"));
    gauges.put(origin, metrics.breakerState(origin, () -> switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    }));
    return breaker;
  }

  private void transition(String origin, String state) {
    lastTransition.put(origin, System.currentTimeMillis());
    metrics.breakerTransition(origin, state);
    if (state.equals("closed")) {
      LOG.info("circuit breaker for {} closed again", origin);
    } else {
      LOG.warn("circuit breaker for {} is now {}", origin, state);
    }
  }

  /** When an origin's breaker last changed state (epoch ms), or null if it never did. */
  public Long lastTransition(String origin) {
    return lastTransition.get(origin);
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
