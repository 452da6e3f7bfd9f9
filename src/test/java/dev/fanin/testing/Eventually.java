package dev.fanin.testing;

import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the time is up: for effects that happen on another thread. */
public final class Eventually {
  private Eventually() {}

  public static boolean eventually(long withinMs, BooleanSupplier condition) {
    long end = System.currentTimeMillis() + withinMs;
    while (System.currentTimeMillis() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
