package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * How fast fanin may send to one origin, from the operator's rule and what the origin says and
 * does: the rule's token bucket, a pause until a Retry-After or a RateLimit reset, an adaptive limit
 * on requests in flight ({@link AdaptiveLimit}), and, once the origin has throttled, a learned rate.
 * Pure logic on a clock the caller passes in (nanoseconds), so its arithmetic can be tested alone;
 * not thread-safe: its {@link OriginGate} guards it.
 *
 * <p>The learned rate. A limit on concurrency cannot hold a rate when answers are fast (at 2 ms an
 * answer, one request in flight is already 500 a second), so once an origin throttles, fanin paces
 * it. If the origin advertises a policy (RateLimit-Policy {@code q} per {@code w}), that is the
 * rate. Otherwise: after the first throttle fanin knows only how many requests the origin took at
 * once (its burst, B); it resumes at B a second and doubles the rate every {@link #RAMP_STEP} without
 * a throttle. At the next throttle it estimates the origin's rate from how long the origin kept
 * accepting at the rate fanin sent: a token bucket that starts full and is drained at r > R empties
 * after B / (r − R), so R = r − B / τ. It then paces at {@link #SAFETY} of that, probing upward by
 * {@link #PROBE_UP} every quiet second; a minute without a throttle and it stops pacing.
 */
final class OriginPacing {
  static final long SECOND = 1_000_000_000L;
  /** While ramping up after the first throttle, the rate doubles this often. */
  static final long RAMP_STEP = SECOND / 20;
  /** fanin paces at this share of the rate it estimated. */
  static final double SAFETY = 0.95;
  /** Each quiet second, the learned rate grows by this share. */
  static final double PROBE_UP = 0.01;
  /** A minute without a throttle and the learned rate is dropped. */
  static final long FORGET_AFTER = 60 * SECOND;
  /** The slowest fanin ever paces an origin: one request every ten seconds. */
  static final double MIN_RATE = 0.1;
  /**
   * fanin sends a little under a rule's rate, and at most half its burst at once: the upstream counts
   * requests when they arrive, and requests held up (a connection being set up, a pause of either
   * process) arrive closer together than they were sent. Half the burst is slack from the start; the
   * rate's margin adds 2 % of a second's requests each second.
   */
  static final double RULE_MARGIN = 0.98;
  /** Stretches kept for the estimate (the oldest go first). */
  static final int MAX_SEGMENTS = 64;

  private final FaninConfig.OriginRule rule;
  private final AdaptiveLimit limit;
  private final TokenBucket ruled;
  private final long firstContact;
  private TokenBucket learned;
  private boolean ramping;
  private double policyRate;
  private double burstSeen;
  private long segmentStart;
  private long segmentAccepted;
  /** Since the last pause: each stretch at one learned rate, as (nanoseconds, answers accepted). */
  private final ArrayDeque<long[]> segments = new ArrayDeque<>();
  private long lastProbe;
  private long pausedUntil;
  private long lastThrottle = Long.MIN_VALUE;
  private long lastCut = Long.MIN_VALUE;
  private long throttles;
  private long acceptedBeforeThrottle;
  /** Answers accepted in each tenth of the last second (a ring), and which tenth is the newest. */
  private final int[] acceptedPerTenth = new int[10];
  private long newestTenth = Long.MIN_VALUE;

  /**
   * @param rule the operator's rule for this origin, or null
   * @param ceiling requests in flight allowed at most (client.maxConnectionsPerOrigin)
   * @param adaptive whether the limit on requests in flight adapts (upstream.adaptive)
   */
  OriginPacing(FaninConfig.OriginRule rule, int ceiling, boolean adaptive, long now) {
    this.rule = rule;
    int max = rule != null && rule.maxConcurrency() > 0 ? Math.min(rule.maxConcurrency(), ceiling) : ceiling;
    this.limit = adaptive ? new AdaptiveLimit(max, now) : AdaptiveLimit.fixed(max);
    this.ruled = rule != null && rule.ratePerSecond() > 0
        ? new TokenBucket(rule.ratePerSecond() * RULE_MARGIN, Math.max(1, rule.burst() / 2), now) : null;
    this.firstContact = now;
  }

  FaninConfig.OriginRule rule() {
    return rule;
  }

  int limit(long now) {
    return limit.get(now);
  }

  /** When the limit on requests in flight next grows with time alone, or Long.MAX_VALUE. */
  long limitGrowsAt(long now) {
    return limit.growsAt(now);
  }

  /** The earliest time a request may start, leaving aside requests in flight (now, when it may). */
  long earliestStart(long now) {
    long at = Math.max(now, pausedUntil);
    if (ruled != null) {
      at = Math.max(at, ruled.nextAt(now));
    }
    if (learned != null) {
      at = Math.max(at, learned.nextAt(now));
    }
    return at;
  }

  /** A request starts now: it takes its tokens. Call only when {@link #earliestStart} is now. */
  void start(long now) {
    if (ruled != null) {
      ruled.tryTake(now);
    }
    if (learned != null) {
      learned.tryTake(now);
    }
  }

  /** The rate fanin paces this origin at now (the slower of the rule's and the learned), 0 for none. */
  double rate() {
    double r = ruled != null ? ruled.rate() : Double.MAX_VALUE;
    if (learned != null) {
      r = Math.min(r, learned.rate());
    }
    return r == Double.MAX_VALUE ? 0 : r;
  }

  long pausedUntil() {
    return pausedUntil;
  }

  long throttles() {
    return throttles;
  }

  /** The learned rate, or 0 when fanin does not pace this origin on its own account. */
  double learnedRate() {
    return learned == null ? 0 : learned.rate();
  }

  /** Tokens available now, from the rule's bucket or else the learned one; -1 when neither paces. */
  double tokens(long now) {
    return ruled != null ? ruled.tokens(now) : learned != null ? learned.tokens(now) : -1;
  }

  /** The origin answered and did not push back (any status but 429 and 503). */
  void accepted(long now, long sentAt, int inFlight, RateLimitHeaders said) {
    limit.succeeded(inFlight);
    advance(now);
    acceptedPerTenth[(int) Math.floorMod(newestTenth, 10L)]++;
    if (throttles == 0) {
      acceptedBeforeThrottle++;
    }
    if (sentAt >= segmentStart || segments.isEmpty()) { // counted in the stretch it was sent in
      segmentAccepted++;
    } else {
      segments.peekLast()[1]++;
    }
    if (said.exhausted()) {
      pauseUntil(now + said.resetMs() * 1_000_000);
    }
    if (said.policyRate() > 0 && said.policyRate() != policyRate) {
      policyRate = said.policyRate();
      ramping = false;
      pace(policyRate, now);
    }
    if (learned == null || now < pausedUntil) {
      return;
    }
    if (policyRate <= 0 && now - lastThrottle > FORGET_AFTER) {
      learned = null; // a minute without a throttle: back to the adaptive limit alone
    } else if (ramping && now - segmentStart >= RAMP_STEP) {
      closeSegment(now);
      learned.reset(learned.rate() * 2, burstFor(learned.rate() * 2), now);
    } else if (!ramping && policyRate <= 0 && now - lastProbe >= SECOND) {
      lastProbe = now;
      closeSegment(now);
      learned.reset(learned.rate() * (1 + PROBE_UP), burstFor(learned.rate()), now);
    }
  }

  /**
   * The origin pushed back: a 429 (or a 503 with Retry-After, or a soft limit) to a request sent at
   * {@code sentAt}. The origin is paused until its Retry-After (or its RateLimit reset). Unless the
   * request was sent before fanin knew of the last throttle (then it tells nothing new), the limit
   * on requests in flight halves and the learned rate is set (see the class comment). Returns
   * whether it counted as a new throttle (false for such a straggler).
   */
  boolean throttled(long now, long sentAt, long retryAfterMs, RateLimitHeaders said) {
    long wait = retryAfterMs >= 0 ? retryAfterMs : said.resetMs();
    if (wait > 0) {
      pauseUntil(now + Math.min(wait, RateLimitHeaders.MAX_MS) * 1_000_000);
    }
    if (sentAt < lastThrottle) {
      return false;
    }
    throttles++;
    lastThrottle = now;
    cut(now);
    double rate;
    if (said.policyRate() > 0) {
      policyRate = said.policyRate();
      ramping = false;
      rate = policyRate;
    } else if (learned == null) {
      burstSeen = throttles == 1 && now - firstContact < SECOND ? acceptedBeforeThrottle : acceptedLastSecond(now);
      burstSeen = Math.max(1, burstSeen);
      ramping = true;
      rate = burstSeen;
    } else {
      closeSegment(now);
      double r = learned.rate();
      rate = Math.max(r / 4, Math.min(r, estimateRate())) * SAFETY;
      ramping = false;
    }
    long resume = Math.max(now, pausedUntil);
    pace(Math.max(MIN_RATE, rate), resume);
    return true;
  }

  /**
   * The origin failed under load (a 503 without Retry-After, a connect error, a timeout). Returns
   * whether the limit was cut (not for a request sent before the last cut).
   */
  boolean overloaded(long now, long sentAt) {
    if (sentAt >= lastCut) {
      cut(now);
      return true;
    }
    return false;
  }

  /** Halves the limit on requests in flight, once for all requests sent before now. */
  private void cut(long now) {
    lastCut = now;
    limit.overloaded(now);
  }

  private void pauseUntil(long until) {
    pausedUntil = Math.max(pausedUntil, until);
  }

  /** Paces at {@code rate} from {@code from} on (the end of a pause, or now). */
  private void pace(double rate, long from) {
    if (learned == null) {
      learned = new TokenBucket(rate, burstFor(rate), from);
    } else {
      learned.reset(rate, burstFor(rate), from);
    }
    segments.clear();
    segmentStart = from;
    segmentAccepted = 0;
    lastProbe = from;
  }

  /** Ends the stretch at the current rate (the rate changes, or a throttle came). */
  private void closeSegment(long now) {
    if (now > segmentStart) {
      segments.addLast(new long[] {now - segmentStart, segmentAccepted});
      if (segments.size() > MAX_SEGMENTS) {
        segments.removeFirst();
      }
    }
    segmentStart = now;
    segmentAccepted = 0;
  }

  /**
   * The origin's rate, from the stretches since the last pause: the highest rate R at which a
   * token bucket of the burst it took at first (B), full when the pause ended, would have run dry by
   * the throttle that just came, given the answers it accepted in each stretch. The bucket's level
   * only grows with R, so a bisection finds it.
   */
  private double estimateRate() {
    double seconds = 0;
    long accepted = 0;
    for (long[] segment : segments) {
      seconds += segment[0] / 1e9;
      accepted += segment[1];
    }
    if (seconds * SECOND < RAMP_STEP) {
      return learned.rate() / 2; // too short a stretch to tell: halve, as AIMD does
    }
    double low = 0;
    double high = (accepted + burstSeen) / seconds;
    for (int i = 0; i < 40; i++) {
      double mid = (low + high) / 2;
      if (levelAtEnd(mid) < 1) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return Math.max(MIN_RATE, low);
  }

  private double levelAtEnd(double rate) {
    double level = burstSeen;
    for (long[] segment : segments) {
      level = Math.min(burstSeen, level + rate * segment[0] / 1e9 - segment[1]);
    }
    return level;
  }

  /** Smooth pacing: at most a twentieth of a second's worth at once. */
  private static double burstFor(double rate) {
    return Math.max(1, rate / 20);
  }

  /** Moves the ring to the tenth of a second {@code now} is in, emptying the tenths passed over. */
  private void advance(long now) {
    long tenth = now / (SECOND / 10);
    if (newestTenth == Long.MIN_VALUE || tenth - newestTenth >= 10) {
      Arrays.fill(acceptedPerTenth, 0);
      newestTenth = tenth;
    } else {
      for (long t = newestTenth + 1; t <= tenth; t++) {
        acceptedPerTenth[(int) Math.floorMod(t, 10L)] = 0;
      }
      newestTenth = Math.max(newestTenth, tenth);
    }
  }

  private long acceptedLastSecond(long now) {
    advance(now);
    long count = 0;
    for (int n : acceptedPerTenth) {
      count += n;
    }
    return count;
  }
}
