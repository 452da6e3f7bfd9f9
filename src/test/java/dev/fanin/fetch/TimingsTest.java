package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.fetch.Timings.Phase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One source's timings: one open phase at a time, attempts in rows, frozen with the result. */
class TimingsTest {
  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  static void pause(long ms) {
    long until = System.nanoTime() + ms * MS;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  @Test
  void eachPhaseCountsFromItsEnteringToItsLeavingOrTheNextPhase() {
    Timings t = new Timings(System.nanoTime());
    assertEquals(0, t.attempts(), "nothing recorded before an attempt");
    t.begin();
    t.enter(Phase.SLOT);
    pause(5);
    t.enter(Phase.ORIGIN); // closes the slot's wait
    pause(5);
    t.leave(Phase.ORIGIN);
    pause(5); // counted nowhere
    t.enter(Phase.HEAD);
    pause(5);
    t.leave(Phase.SLOT); // not the open phase: changes nothing
    t.enter(Phase.BODY);
    t.leave();
    assertEquals(1, t.attempts());
    assertTrue(t.nanos(0, Phase.SLOT) >= 5 * MS && t.nanos(0, Phase.SLOT) < 5 * MS + 4 * MS, "slot " + t.nanos(0, Phase.SLOT));
    assertTrue(t.nanos(0, Phase.ORIGIN) >= 5 * MS, "origin");
    assertTrue(t.nanos(0, Phase.HEAD) >= 5 * MS, "head kept counting until the body began");
    assertEquals(0, t.nanos(0, Phase.BUDGET));
    assertFalse(t.sent(0));
  }

  @Test
  void aConnectionsTimeIsCountedAsPoolOrConnectOnceItIsKnown() {
    Timings t = new Timings(System.nanoTime());
    t.begin();
    t.sent();
    t.enter(Phase.CONNECT);
    pause(3);
    t.leaveAs(Phase.CONNECT, Phase.POOL);
    assertTrue(t.nanos(0, Phase.POOL) >= 3 * MS);
    assertEquals(0, t.nanos(0, Phase.CONNECT));
    assertTrue(t.sent(0));
  }

  @Test
  void attemptsAreRowsAndTheBackoffBelongsToTheAttemptBeforeIt() {
    long origin = System.nanoTime();
    Timings t = new Timings(origin);
    for (int i = 0; i < 3; i++) { // past the first row's room
      t.begin();
      t.sent();
      t.enter(Phase.HEAD);
      pause(1);
      t.leave();
      t.enter(Phase.BACKOFF);
      pause(2);
      t.leave(Phase.BACKOFF);
    }
    assertEquals(3, t.attempts());
    for (int i = 0; i < 3; i++) {
      assertTrue(t.sent(i));
      assertTrue(t.nanos(i, Phase.BACKOFF) >= 2 * MS);
      assertTrue(t.nanos(i, Phase.HEAD) >= MS);
    }
    assertTrue(t.startNanos(1) >= t.startNanos(0) + 3 * MS, "the second began after the first and its backoff");
    assertTrue(t.startNanos(2) >= t.startNanos(1) + 3 * MS);
  }

  @Test
  void withoutALimiterAboveEachSendingIsAnAttemptOfItsOwn() {
    Timings t = new Timings(System.nanoTime());
    t.sent();
    t.sent();
    assertEquals(2, t.attempts());
    assertTrue(t.sent(0) && t.sent(1));
  }

  @Test
  void freezingCountsTheOpenWaitUntilNowAndEndsRecording() {
    Timings t = new Timings(System.nanoTime());
    t.begin();
    t.enter(Phase.ORIGIN);
    pause(4);
    assertEquals(t, t.freeze("upstream"));
    long origin = t.nanos(0, Phase.ORIGIN);
    assertTrue(origin >= 4 * MS, "a wait the deadline cut short is reported: " + origin);
    t.leave(Phase.ORIGIN);
    t.begin();
    t.sent();
    t.freeze("cache");
    assertEquals(origin, t.nanos(0, Phase.ORIGIN), "nothing changes once frozen");
    assertEquals(1, t.attempts());
    assertFalse(t.sent(0));
    assertEquals("upstream", t.from(), "the first freeze wins");
  }

  @Test
  void aLanesTimingsJoinTheCurrentAttemptInPlaceOfTheStandIn() {
    Timings home = new Timings(System.nanoTime());
    home.begin();
    home.enter(Phase.HEAD); // the stand-in while the exchange runs on another loop
    Timings lane = new Timings(0);
    lane.sent();
    lane.enter(Phase.CONNECT);
    pause(2);
    lane.enter(Phase.HEAD);
    pause(3);
    lane.enter(Phase.BODY);
    pause(1);
    lane.leave();
    pause(5);
    home.absorb(lane);
    home.freeze("upstream");
    assertEquals(1, home.attempts());
    assertTrue(home.sent(0));
    assertEquals(lane.nanos(0, Phase.CONNECT), home.nanos(0, Phase.CONNECT));
    assertEquals(lane.nanos(0, Phase.HEAD), home.nanos(0, Phase.HEAD), "the stand-in was dropped, not added");
    assertEquals(lane.nanos(0, Phase.BODY), home.nanos(0, Phase.BODY));
  }

  @Test
  void aStandInStillOpenWhenTheSourceEndsCountsAsTheHead() {
    Timings home = new Timings(System.nanoTime());
    home.begin();
    home.enter(Phase.HEAD);
    pause(3);
    home.freeze("upstream");
    assertTrue(home.nanos(0, Phase.HEAD) >= 3 * MS);
  }

  @Test
  void startsAreCountedFromTheAggregationsStart() {
    long origin = System.nanoTime();
    Timings t = new Timings(origin);
    pause(3);
    t.begin();
    assertTrue(t.startNanos(0) >= 3 * MS);
    assertEquals(0, Timings.none().attempts());
    assertEquals("upstream", Timings.none().from());
  }

  @Test
  void anAttemptOfItsOwnMakesTheOutcomeTheSourcesOwnAgain() {
    Timings t = new Timings(System.nanoTime());
    t.coalesced(true); // a first hop joined another source's request
    assertTrue(t.isCoalesced());
    t.begin(); // the redirect it led to was fetched by this source
    assertFalse(t.isCoalesced());
  }
}
