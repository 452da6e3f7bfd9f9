package dev.fanin.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.HedgeSpec;
import dev.fanin.metrics.FaninMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What hedging knows of each origin, for the whole process: its recent latencies (for a hedge
 * "after p95") and its hedge budget. Bounded: at most {@link #MAX_ORIGINS} origins, each forgotten 10
 * minutes after its last request, each with a fixed-size state.
 *
 * <p>The budget: every request to an origin earns it {@code upstream.hedgeBudgetPercent} of a hedge,
 * up to {@link #MAX_CREDITS} saved; a hedge spends one. So hedging adds at most that share of extra
 * requests to an origin (plus a small saved burst), and a sick upstream, whose every request is slow,
 * is not sent twice its load.
 */
public final class Hedges {
  /** Latencies kept per origin: the percentile is of the last this many answers. */
  static final int WINDOW = 128;
  /** Answers needed before a percentile is trusted: until then a percentile hedge is not sent. */
  static final int MIN_SAMPLES = 20;
  /** A percentile hedge never fires sooner than this, however fast the origin has been. */
  static final long FLOOR_MS = 10;
  /** Hedges an origin may save up while it is quiet. */
  static final double MAX_CREDITS = 10;
  static final int MAX_ORIGINS = 10_000;

  private final Cache<String, Origin> origins = Caffeine.newBuilder().maximumSize(MAX_ORIGINS)
      .expireAfterAccess(Duration.ofMinutes(10)).build();
  private final Supplier<FaninConfig.Upstream> config;
  private final FaninMetrics metrics;

  public Hedges(Supplier<FaninConfig.Upstream> config, FaninMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  FaninMetrics metrics() {
    return metrics;
  }

  /** The hedge for a request: the source's own, else its origin's rule's, else null. */
  HedgeSpec hedgeFor(FetchContext context, URI url) {
    if (context.hedge() != null) {
      return context.hedge();
    }
    List<FaninConfig.OriginRule> rules = config.get().origins();
    if (rules.isEmpty()) {
      return null;
    }
    FaninConfig.OriginRule rule = FaninConfig.OriginRule.first(rules, url.getHost().toLowerCase(Locale.ROOT),
        Origins.port(url));
    return rule == null ? null : rule.hedge();
  }

  Origin origin(URI url) {
    String key = url.getScheme() + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + Origins.port(url);
    return origins.get(key, k -> new Origin());
  }

  double budgetShare() {
    return config.get().hedgeBudgetPercent() / 100.0;
  }

  /** One origin's latencies and hedge credits; shared by every event loop, so synchronized. */
  static final class Origin {
    private final long[] latencies = new long[WINDOW];
    private int samples;
    private int next;
    private double credits = 1;

    synchronized void answered(long ms) {
      latencies[next] = ms;
      next = (next + 1) % WINDOW;
      samples = Math.min(WINDOW, samples + 1);
    }

    /** The percentile of the recent latencies, at least {@link #FLOOR_MS}; -1 while too few are known. */
    synchronized long percentileMs(int percentile) {
      if (samples < MIN_SAMPLES) {
        return -1;
      }
      long[] sorted = Arrays.copyOf(latencies, samples);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(percentile / 100.0 * samples) - 1;
      return Math.max(FLOOR_MS, sorted[Math.max(0, Math.min(samples - 1, rank))]);
    }

    synchronized void earn(double share) {
      credits = Math.min(MAX_CREDITS, credits + share);
    }

    synchronized boolean spend() {
      if (credits < 1) {
        return false;
      }
      credits -= 1;
      return true;
    }
  }
}
