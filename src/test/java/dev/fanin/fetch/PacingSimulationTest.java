package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * {@link OriginPacing} against a simulated upstream that enforces its own token bucket, on a
 * simulated clock: the sum of the pause, the learned rate and the adaptive limit, as the bench's
 * rationed scenario runs them for real (bench/run --scenarios 9), in milliseconds of test time.
 */
class PacingSimulationTest {
  static final long MS = 1_000_000L;
  static final boolean TRACE = Boolean.getBoolean("trace");

  /** What one simulated run did. */
  record Run(int throttled, int failed, double seconds) {}

  /** An upstream's token bucket: rate a second, burst. */
  static final class Upstream {
    final double rate;
    final double burst;
    double tokens;
    long last;

    Upstream(double rate, double burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    boolean admit(long now) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /**
   * {@code n} requests, at most {@code concurrency} at once, each retried up to {@code retries}
   * times after a 429's Retry-After; the upstream answers in {@code latencyMs}.
   */
  static Run run(FaninConfig.OriginRule rule, Upstream upstream, int n, int concurrency, int retries,
      long latencyMs, boolean headers) {
    long now = 0;
    OriginPacing pacing = new OriginPacing(rule, 2000, true, now);
    record Event(long at, int request, long sentAt, boolean retry) {}
    PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    int[] tries = new int[n];
    for (int i = 0; i < n; i++) {
      ready.add(i);
    }
    int inFlight = 0;
    int throttled = 0;
    int failed = 0;
    int done = 0;
    RateLimitHeaders policy = new RateLimitHeaders(1, 0, (long) upstream.rate, 1000);
    while (done < n) {
      while (!ready.isEmpty() && inFlight < Math.min(concurrency, pacing.limit(now))
          && pacing.earliestStart(now) <= now) {
        int r = ready.poll();
        pacing.start(now);
        inFlight++;
        events.add(new Event(now + latencyMs * MS, r, now, false));
      }
      long next = Long.MAX_VALUE;
      if (!events.isEmpty()) {
        next = events.peek().at;
      }
      if (!ready.isEmpty() && inFlight < Math.min(concurrency, pacing.limit(now))) {
        next = Math.min(next, Math.max(now + 1, pacing.earliestStart(now)));
      }
      if (!ready.isEmpty()) {
        next = Math.min(next, Math.max(now + 1, pacing.limitGrowsAt(now)));
      }
      now = next;
      while (!events.isEmpty() && events.peek().at <= now) {
        Event e = events.poll();
        if (e.retry) {
          ready.add(e.request);
          continue;
        }
        inFlight--;
        boolean ok = upstream.admit(e.sentAt + latencyMs * MS / 2);
        if (ok) {
          pacing.accepted(now, e.sentAt, inFlight + 1, headers ? policy : RateLimitHeaders.NONE);
          done++;
        } else {
          throttled++;
          pacing.throttled(now, e.sentAt, 1000, headers ? policy : RateLimitHeaders.NONE);
          if (TRACE) {
            System.out.printf("t=%.3f sent=%.3f rate=%.1f limit=%d done=%d%n", now / 1e9, e.sentAt / 1e9,
                pacing.learnedRate(), pacing.limit(now), done);
          }
          if (tries[e.request]++ < retries) {
            events.add(new Event(now + 1000 * MS, e.request, 0, true));
          } else {
            failed++;
            done++;
          }
        }
      }
    }
    return new Run(throttled, failed, now / 1e9);
  }

  @Test
  void aMatchingRuleIsNeverThrottled() {
    Run run = run(new FaninConfig.OriginRule("x", 200, 20, 0, 0, null), new Upstream(200, 20), 2000, 200, 3, 1, false);
    assertEquals(0, run.throttled());
    assertTrue(run.seconds() <= 10.5, "took " + run.seconds() + " s, ideal 9.9 s");
  }

  @Test
  void retryAfterAloneTeachesTheRate() {
    Run run = run(null, new Upstream(200, 20), 2000, 200, 3, 1, false);
    System.out.println("429 + Retry-After only: " + run);
    assertEquals(0, run.failed());
    assertTrue(run.throttled() <= 40, run + ": more than 2 % throttled");
    assertTrue(run.seconds() <= 12.5, run + ": learned too slowly");
  }

  @Test
  void anAdvertisedPolicyIsFollowed() {
    Run run = run(null, new Upstream(200, 20), 2000, 200, 3, 1, true);
    System.out.println("RateLimit-Policy: " + run);
    assertEquals(0, run.failed());
    assertTrue(run.throttled() <= 20, run + ": more than 1 % throttled");
  }

  @Test
  void aSlowOriginIsLearnedToo() {
    Run run = run(null, new Upstream(5, 5), 100, 50, 5, 50, false);
    System.out.println("5/s: " + run);
    assertEquals(0, run.failed());
    assertTrue(run.throttled() <= 15 && run.seconds() <= 23, run.toString());
  }
}
