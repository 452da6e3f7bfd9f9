package dev.fanin.fetch;

/**
 * A token bucket on a nanosecond clock the caller passes in: {@code rate} tokens a second, at most
 * {@code burst} saved up. Not thread-safe: its owner guards it.
 */
final class TokenBucket {
  private double rate;
  private double burst;
  private double tokens;
  private long last;

  TokenBucket(double ratePerSecond, double burst, long now) {
    this.rate = ratePerSecond;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.last = now;
  }

  double rate() {
    return rate;
  }

  /** A new rate and burst; the tokens saved so far stay (capped by the new burst). */
  void reset(double ratePerSecond, double newBurst, long now) {
    refill(now);
    this.rate = ratePerSecond;
    this.burst = Math.max(1, newBurst);
    this.tokens = Math.min(tokens, this.burst);
  }

  private void refill(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
    }
  }

  /** Takes a token now; false when none is there. */
  boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /**
   * Takes a token now even when none is there: the bucket goes into debt, and {@link #nextAt} then
   * says when the token after it comes (reservations, in order).
   */
  void owe(long now) {
    refill(now);
    tokens -= 1;
  }

  /** When the next token will be there (now, when one is). */
  long nextAt(long now) {
    refill(now);
    if (tokens >= 1) {
      return now;
    }
    return now + (long) Math.ceil((1 - tokens) / rate * 1e9);
  }

  /** Tokens saved now (for /v1/origins). */
  double tokens(long now) {
    refill(now);
    return tokens;
  }
}
