package dev.fanin.fetch;

import dev.fanin.fetch.Timings.Phase;

/**
 * Frozen timings recorded for real (Timings measures its phases itself), for tests outside this
 * package: each phase asked for lasts at least a millisecond, every other one is 0.
 */
public final class RecordedTimings {
  private RecordedTimings() {}

  /** Attempts sent one after another, each passing these phases in this order. */
  public static Timings of(String from, int attempts, Phase... phases) {
    Timings t = new Timings(System.nanoTime());
    for (int i = 0; i < attempts; i++) {
      t.begin();
      for (Phase p : phases) {
        if (p == Phase.HEAD) {
          t.sent();
        }
        t.enter(p);
        TimingsTest.pause(1);
      }
      t.leave();
    }
    return t.freeze(from);
  }
}
