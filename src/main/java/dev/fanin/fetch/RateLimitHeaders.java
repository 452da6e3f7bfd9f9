package dev.fanin.fetch;

import io.vertx.core.MultiMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an upstream says of its rate limit: the IETF fields (draft-ietf-httpapi-ratelimit-headers,
 * Structured Fields: {@code RateLimit: "default";r=0;t=30} and {@code RateLimit-Policy:
 * "default";q=100;w=60}, and the older {@code RateLimit-Remaining}/{@code -Reset}/{@code -Limit}) and
 * the common {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}
 * (seconds, or an epoch time). Malformed fields are ignored; absurd ones are capped.
 *
 * @param remaining requests left in the window, or -1 when not said
 * @param resetMs when the window resets, in ms from now, or -1 when not said
 * @param quota requests allowed per window, or -1
 * @param windowMs the window's length, or -1
 */
record RateLimitHeaders(long remaining, long resetMs, long quota, long windowMs) {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitHeaders.class);
  /** The longest reset or window believed: beyond it a value is taken for a mistake and capped. */
  static final long MAX_MS = 3_600_000;
  /**
   * The longest policy window believed (daily quotas are common): a longer one is taken as this long,
   * with its quota scaled down to match, so that it is never paced faster than it allows.
   */
  static final long MAX_WINDOW_MS = 7 * 86_400_000L;
  static final RateLimitHeaders NONE = new RateLimitHeaders(-1, -1, -1, -1);

  static RateLimitHeaders of(MultiMap headers, long nowEpochMs) {
    long remaining = -1;
    long reset = -1;
    long quota = -1;
    long window = -1;
    String current = headers.get("RateLimit");
    if (current != null) {
      remaining = firstParam(current, "r");
      reset = seconds(firstParam(current, "t"));
      if (remaining < 0) { // the older single-field form: limit=100, remaining=0, reset=30
        remaining = dictionary(current, "remaining");
        reset = seconds(dictionary(current, "reset"));
        quota = dictionary(current, "limit");
      }
    }
    String policy = headers.get("RateLimit-Policy");
    if (policy != null) {
      quota = firstParam(policy, "q");
      long w = firstParam(policy, "w");
      window = w < 0 ? -1 : Math.min(w, MAX_WINDOW_MS / 1000) * 1000;
      if (w * 1000 > MAX_WINDOW_MS && quota > 0) {
        quota = Math.max(1, (long) Math.floor(quota * (MAX_WINDOW_MS / 1000.0) / w));
      }
    }
    if (remaining < 0) {
      remaining = integer(headers.get("RateLimit-Remaining"));
      reset = seconds(integer(headers.get("RateLimit-Reset")));
      quota = quota < 0 ? integer(headers.get("RateLimit-Limit")) : quota;
    }
    if (remaining < 0) {
      remaining = integer(headers.get("X-RateLimit-Remaining"));
      long raw = integer(headers.get("X-RateLimit-Reset"));
      // a value past 10^9 is an epoch time (seconds), anything smaller a delay
      reset = raw > 1_000_000_000L ? Math.max(0, raw * 1000 - nowEpochMs) : seconds(raw);
      quota = quota < 0 ? integer(headers.get("X-RateLimit-Limit")) : quota;
    }
    if (remaining < 0 && quota < 0) {
      if (LOG.isDebugEnabled() && (current != null || policy != null || headers.contains("X-RateLimit-Remaining")
          || headers.contains("RateLimit-Remaining"))) {
        LOG.debug("ignored rate-limit fields fanin cannot read: RateLimit={}, RateLimit-Policy={}, X-RateLimit-Remaining={}",
            current, policy, headers.get("X-RateLimit-Remaining"));
      }
      return NONE;
    }
    return new RateLimitHeaders(remaining, cap(reset), quota, window);
  }

  /** Whether the upstream says nothing is left until the reset. */
  boolean exhausted() {
    return remaining == 0 && resetMs > 0;
  }

  /** The rate the policy allows, per second, or -1 when it says none. */
  double policyRate() {
    return quota > 0 && windowMs > 0 ? quota * 1000.0 / windowMs : -1;
  }

  private static long cap(long ms) {
    return ms < 0 ? -1 : Math.min(ms, MAX_MS);
  }

  private static long seconds(long s) {
    return s < 0 ? -1 : Math.min(s, MAX_MS / 1000) * 1000;
  }

  /** A parameter of the first item of a Structured Fields list: "default";r=0;t=30 → r = 0. */
  private static long firstParam(String field, String name) {
    String item = field.split(",", 2)[0];
    for (String part : item.split(";")) {
      String p = part.trim();
      if (p.startsWith(name + "=")) {
        return integer(p.substring(name.length() + 1));
      }
    }
    return -1;
  }

  /** A member of a dictionary field: limit=100, remaining=0 → remaining = 0. */
  private static long dictionary(String field, String name) {
    for (String part : field.split(",")) {
      String p = part.trim();
      if (p.startsWith(name + "=")) {
        return integer(p.substring(name.length() + 1).split(";")[0]);
      }
    }
    return -1;
  }

  /** A non-negative integer, or -1 for anything else. */
  private static long integer(String value) {
    if (value == null) {
      return -1;
    }
    String v = value.trim();
    if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(v);
  }
}
