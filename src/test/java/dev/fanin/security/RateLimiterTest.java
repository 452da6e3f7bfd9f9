package dev.fanin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void aBurstThenWaits() {
    RateLimiter rates = new RateLimiter(1, 2);
    assertEquals(0, rates.acquire("a"));
    assertEquals(0, rates.acquire("a"));
    assertTrue(rates.acquire("a") > 0);
    assertEquals(0, rates.acquire("b"), "every key has its own bucket");
  }

  @Test
  void bucketsOfRemovedKeysAreForgotten() {
    RateLimiter rates = new RateLimiter(1, 1);
    for (int i = 0; i < 100; i++) {
      rates.acquire("key-" + i);
    }
    assertEquals(100, rates.buckets());
    rates.retainOnly(Set.of("key-7"));
    assertEquals(1, rates.buckets());
    assertTrue(rates.acquire("key-7") > 0, "a kept key keeps its state");
  }
}
