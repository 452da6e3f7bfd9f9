package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/**
 * {@link OriginPacing} one step at a time on a clock the test moves by hand: the rule's bucket, the
 * pause, stragglers, a policy from headers, the learned rate (ramp, estimate, probe, forgetting) and
 * the limit on requests in flight.
 */
class OriginPacingTest {
  static final long MS = 1_000_000L;
  static final long SECOND = OriginPacing.SECOND;
  static final RateLimitHeaders NONE = RateLimitHeaders.NONE;

  private static FaninConfig.OriginRule rule(double rate, int burst, int maxConcurrency) {
    return new FaninConfig.OriginRule("api.example.com", rate, burst, 0, maxConcurrency, null);
  }

  private static OriginPacing unruled() {
    return new OriginPacing(null, 100, true, 0);
  }

  /** A policy of {@code perSecond} requests a second, as RateLimit-Policy says it. */
  private static RateLimitHeaders policy(long perSecond) {
    return new RateLimitHeaders(-1, -1, perSecond, 1000);
  }

  /** Throttled once at 10 ms, with a Retry-After of 1 s, after the origin took {@code burst} at once. */
  private static OriginPacing throttledAfterBurst(int burst) {
    OriginPacing p = unruled();
    for (int i = 1; i <= burst; i++) {
      p.accepted(i * MS, 0, 1, NONE);
    }
    p.throttled(10 * MS, 6 * MS, 1000, NONE);
    return p;
  }

  // ---- the rule ----

  @Test
  void aRulesRateSpacesStartsALittleUnderTheRule() {
    // paced at RULE_MARGIN of the rule's rate, half its burst: arrival jitter never crosses the rule
    OriginPacing p = new OriginPacing(rule(2, 4, 0), 100, true, 0);
    long gap = (long) Math.ceil(1e9 / (2 * OriginPacing.RULE_MARGIN));
    long t = 0;
    assertEquals(2 * OriginPacing.RULE_MARGIN, p.rate(), 1e-9);
    assertEquals(t, p.earliestStart(t));
    p.start(t);
    assertEquals(t, p.earliestStart(t), "half the burst of 4 lets a second go at once");
    p.start(t);
    assertEquals(t + gap, p.earliestStart(t), 1, "but not a third");
    t += gap;
    assertEquals(t, p.earliestStart(t));
    p.start(t);
    assertEquals(t + gap, p.earliestStart(t), 1);
  }

  @Test
  void withoutRuleOrThrottleNothingIsPaced() {
    OriginPacing p = unruled();
    for (int i = 0; i < 1000; i++) {
      p.start(0);
    }
    assertEquals(0, p.earliestStart(0));
    assertEquals(0, p.rate());
    assertEquals(-1, p.tokens(0));
  }

  @Test
  void maxConcurrencyCapsTheLimit() {
    OriginPacing p = new OriginPacing(rule(0, 1, 4), 100, true, 0);
    assertEquals(4, p.limit(0));
    for (int i = 0; i < 20; i++) {
      p.accepted(i * MS, i * MS, 4, NONE);
    }
    assertEquals(4, p.limit(10 * SECOND));
    assertEquals(8, new OriginPacing(rule(0, 1, 50), 8, true, 0).limit(10 * SECOND), "the ceiling is lower");
    assertEquals(4, new OriginPacing(rule(0, 1, 4), 100, false, 0).limit(0));
  }

  @Test
  void withoutAdaptiveTheLimitIsTheCeilingAtOnce() {
    assertEquals(100, new OriginPacing(null, 100, false, 0).limit(0));
    assertEquals(AdaptiveLimit.INITIAL, new OriginPacing(null, 100, true, 0).limit(0));
  }

  @Test
  void maxConcurrencyOneStaysOneAfterAThrottle() {
    OriginPacing p = new OriginPacing(rule(0, 1, 1), 100, true, 0);
    p.throttled(10 * MS, 5 * MS, 1000, NONE);
    assertEquals(1, p.limit(10 * MS));
  }

  @Test
  void withoutAdaptiveAThrottlePausesButLeavesTheLimit() {
    OriginPacing p = new OriginPacing(null, 8, false, 0);
    p.throttled(10 * MS, 5 * MS, 1000, NONE);
    p.overloaded(20 * MS, 15 * MS);
    assertEquals(8, p.limit(20 * MS));
  }

  // ---- pauses ----

  @Test
  void aThrottlePausesUntilRetryAfterAndHalvesTheLimit() {
    OriginPacing p = unruled();
    long t = 10 * MS;
    assertEquals(10, p.limit(t));
    assertTrue(p.throttled(t, 5 * MS, 2000, NONE));
    assertEquals(t + 2 * SECOND, p.pausedUntil());
    assertEquals(t + 2 * SECOND, p.earliestStart(t));
    assertEquals(t + 2 * SECOND, p.earliestStart(t + 2 * SECOND - 1));
    assertEquals(5, p.limit(t));
    assertEquals(1, p.throttles());
  }

  @Test
  void retryAfterTakesPrecedenceOverTheReset() {
    RateLimitHeaders resetIn5s = new RateLimitHeaders(0, 5000, -1, -1);
    OriginPacing p = unruled();
    p.throttled(10 * MS, 5 * MS, 2000, resetIn5s);
    assertEquals(10 * MS + 2 * SECOND, p.pausedUntil());
    OriginPacing q = unruled();
    q.throttled(10 * MS, 5 * MS, -1, resetIn5s);
    assertEquals(10 * MS + 5 * SECOND, q.pausedUntil(), "without Retry-After, the reset");
  }

  @Test
  void anExhaustedRateLimitOnAnAcceptedAnswerPausesUntilItsReset() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("RateLimit", "\"default\";r=0;t=5");
    RateLimitHeaders said = RateLimitHeaders.of(headers, 1_700_000_000_000L);
    OriginPacing p = unruled();
    long t = 10 * MS;
    p.accepted(t, 5 * MS, 1, said);
    assertEquals(t + 5 * SECOND, p.earliestStart(t));
    assertEquals(0, p.throttles(), "a pause, not a throttle");
  }

  @Test
  void aStragglerExtendsThePauseButIsNoNewThrottle() {
    OriginPacing p = unruled();
    long first = 10 * MS;
    p.throttled(first, 5 * MS, 1000, NONE);
    double learned = p.learnedRate();
    long t = 20 * MS;
    assertFalse(p.throttled(t, 8 * MS, 3000, NONE), "sent before the throttle at 10 ms");
    assertEquals(t + 3 * SECOND, p.pausedUntil());
    assertEquals(1, p.throttles());
    assertEquals(5, p.limit(t), "not halved again");
    assertEquals(learned, p.learnedRate());
    p.throttled(30 * MS, 9 * MS, 100, NONE);
    assertEquals(t + 3 * SECOND, p.pausedUntil(), "a shorter Retry-After does not shorten the pause");
  }

  @Test
  void aThrottleOfARequestSentAfterTheLastOneCounts() {
    OriginPacing p = unruled();
    p.throttled(10 * MS, 5 * MS, 1000, NONE);
    p.throttled(20 * MS, 10 * MS, 1000, NONE);
    assertEquals(2, p.throttles());
    assertEquals(2, p.limit(20 * MS), "10, halved twice (2.5)");
  }

  @Test
  void throttledSaysWhetherItCountedAsANewThrottle() {
    // (the WARN line it leads to is limited to one a minute per origin by OriginGates)
    OriginPacing p = unruled();
    assertTrue(p.throttled(10 * MS, 5 * MS, 0, NONE));
    assertFalse(p.throttled(20 * MS, 6 * MS, 0, NONE), "sent before the last throttle was known");
    assertTrue(p.throttled(SECOND, 500 * MS, 0, NONE));
    assertEquals(2, p.throttles());
  }

  @Test
  void anOverloadHalvesOnceForTheRequestsSentBeforeItAndDoesNotPause() {
    OriginPacing p = unruled();
    p.overloaded(10 * MS, 5 * MS);
    p.overloaded(20 * MS, 8 * MS);
    assertEquals(5, p.limit(20 * MS));
    p.overloaded(30 * MS, 15 * MS);
    assertEquals(2, p.limit(30 * MS));
    assertEquals(30 * MS, p.earliestStart(30 * MS));
  }

  // ---- a policy from headers ----

  @Test
  void aPolicyRateFromHeadersIsPacedAtExactly() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("RateLimit-Policy", "\"default\";q=100;w=10");
    RateLimitHeaders said = RateLimitHeaders.of(headers, 1_700_000_000_000L);
    OriginPacing p = unruled();
    long t = 10 * MS;
    p.accepted(t, 5 * MS, 1, said);
    assertEquals(10, p.rate());
    assertEquals(t, p.earliestStart(t));
    p.start(t);
    assertEquals(t + 100 * MS, p.earliestStart(t));
  }

  @Test
  void aPolicyOnAThrottleIsFollowedWithoutTheSafetyMarginAndNotForgotten() {
    OriginPacing p = unruled();
    p.throttled(10 * MS, 5 * MS, 1000, policy(10));
    assertEquals(10, p.learnedRate());
    p.accepted(120 * SECOND, 120 * SECOND, 1, NONE);
    assertEquals(10, p.learnedRate(), "two minutes on");
  }

  @Test
  void theRateIsTheSlowerOfTheRulesAndTheLearned() {
    OriginPacing p = new OriginPacing(rule(5, 1, 0), 100, true, 0);
    p.throttled(10 * MS, 5 * MS, 0, policy(2));
    assertEquals(2, p.rate());
    long t = 10 * MS;
    p.start(t);
    assertEquals(t + 500 * MS, p.earliestStart(t), "the learned 2 a second, not the rule's 5");
    OriginPacing q = new OriginPacing(rule(1, 1, 0), 100, true, 0);
    q.throttled(10 * MS, 5 * MS, 0, policy(10));
    assertEquals(OriginPacing.RULE_MARGIN, q.rate(), 1e-9);
    q.start(t);
    assertEquals(t + (long) Math.ceil(1e9 / OriginPacing.RULE_MARGIN), q.earliestStart(t), 1,
        "the rule's 1 a second (less its margin), not the learned 10");
  }

  // ---- the learned rate ----

  @Test
  void afterTheFirstThrottleTheOriginIsPacedAtTheBurstItTook() {
    OriginPacing p = throttledAfterBurst(5);
    assertEquals(5, p.learnedRate());
    long resume = 10 * MS + SECOND;
    assertEquals(resume, p.earliestStart(resume));
    p.start(resume);
    assertEquals(resume + 200 * MS, p.earliestStart(resume));
  }

  @Test
  void aFirstThrottleWithinASecondOfFirstContactCountsEverythingAcceptedSince() {
    OriginPacing p = new OriginPacing(null, 100, true, 50 * MS);
    for (int i = 0; i < 5; i++) {
      p.accepted(60 * MS, 55 * MS, 1, NONE);
    }
    p.throttled(1040 * MS, 1000 * MS, 1000, NONE);
    assertEquals(5, p.learnedRate(), "the five at 60 ms, though more than the last ten tenths ago");
  }

  @Test
  void laterTheBurstIsWhatTheOriginTookInTheLastSecond() {
    OriginPacing p = unruled();
    for (int i = 0; i < 10; i++) {
      p.accepted(2 * SECOND, 2 * SECOND, 1, NONE);
    }
    for (int i = 3; i <= 9; i++) {
      p.accepted(4 * SECOND + i * 100 * MS, 4 * SECOND, 1, NONE);
    }
    p.throttled(5 * SECOND, 5 * SECOND, 1000, NONE);
    assertEquals(7, p.learnedRate());
  }

  @Test
  void whileRampingTheRateDoublesEveryStep() {
    OriginPacing p = throttledAfterBurst(5);
    long resume = 10 * MS + SECOND;
    p.accepted(resume + OriginPacing.RAMP_STEP - 1, resume, 1, NONE);
    assertEquals(5, p.learnedRate());
    p.accepted(resume + OriginPacing.RAMP_STEP, resume, 1, NONE);
    assertEquals(10, p.learnedRate());
    p.accepted(resume + 2 * OriginPacing.RAMP_STEP, resume, 1, NONE);
    assertEquals(20, p.learnedRate());
  }

  @Test
  void theNextThrottleEstimatesTheRateWithASafetyMarginThenProbesUp() {
    OriginPacing p = throttledAfterBurst(5);
    long resume = 10 * MS + SECOND;
    for (int i = 1; i <= 10; i++) {
      p.accepted(resume + i * MS, resume, 1, NONE);
    }
    // a bucket of 5 that let 10 through in 2 s and was empty at the end refills at 3 a second
    p.throttled(resume + 2 * SECOND, resume + 1900 * MS, 1000, NONE);
    assertEquals(3 * OriginPacing.SAFETY, p.learnedRate(), 1e-6);
    long quiet = resume + 3 * SECOND;
    p.accepted(quiet + SECOND - 1, quiet, 1, NONE);
    assertEquals(3 * OriginPacing.SAFETY, p.learnedRate(), 1e-6);
    p.accepted(quiet + SECOND, quiet, 1, NONE);
    assertEquals(3 * OriginPacing.SAFETY * (1 + OriginPacing.PROBE_UP), p.learnedRate(), 1e-6);
  }

  @Test
  void theEstimateIsNeverAboveTheRateSentAt() {
    OriginPacing p = throttledAfterBurst(5);
    long resume = 10 * MS + SECOND;
    for (int i = 1; i <= 20; i++) {
      p.accepted(resume + i * MS, resume, 1, NONE);
    }
    p.throttled(resume + 60 * MS, resume + 55 * MS, 1000, NONE); // a stretch past RAMP_STEP: an estimate
    assertEquals(5 * OriginPacing.SAFETY, p.learnedRate(), 1e-6);
  }

  @Test
  void aStretchTooShortToTellHalvesTheRate() {
    OriginPacing p = throttledAfterBurst(5);
    long resume = 10 * MS + SECOND;
    p.accepted(resume + MS, resume, 1, NONE);
    p.throttled(resume + 20 * MS, resume + 10 * MS, 1000, NONE);
    assertEquals(5 / 2.0 * OriginPacing.SAFETY, p.learnedRate(), 1e-6);
  }

  @Test
  void theEstimateNeverCutsBelowAQuarterOfTheRateSentAt() {
    OriginPacing p = throttledAfterBurst(5);
    long resume = 10 * MS + SECOND;
    p.throttled(resume + SECOND, resume + 900 * MS, 1000, NONE);
    assertEquals(5 / 4.0 * OriginPacing.SAFETY, p.learnedRate(), 1e-6);
  }

  @Test
  void theLearnedRateIsForgottenAfterAMinuteWithoutThrottle() {
    OriginPacing p = throttledAfterBurst(5);
    long last = 10 * MS;
    p.accepted(last + OriginPacing.FORGET_AFTER, last + OriginPacing.FORGET_AFTER, 1, NONE);
    assertTrue(p.learnedRate() > 0, "a minute to the nanosecond is not yet more than a minute");
    long t = last + OriginPacing.FORGET_AFTER + 1;
    p.accepted(t, t, 1, NONE);
    assertEquals(0, p.learnedRate());
    assertEquals(0, p.rate());
    p.start(t);
    p.start(t);
    assertEquals(t, p.earliestStart(t));
  }
}
