package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ClientPace}: a definition's own rate, a bucket per origin, reservations that respect deadlines. */
class ClientPaceTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long NO_DEADLINE = Long.MAX_VALUE;
  static final String A = "https://a.example.com:443";
  static final String B = "https://b.example.com:443";

  @Test
  void theBurstGoesAtOnceThenRequestsAreSpacedByTheRate() {
    ClientPace pace = new ClientPace(2, 3);
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(500 * MS, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(SECOND, pace.reserve(A, 0, NO_DEADLINE));
  }

  @Test
  void reservationsComeInOrderOneAtATime() {
    ClientPace pace = new ClientPace(1, 1);
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(SECOND, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(2 * SECOND, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(3 * SECOND, pace.reserve(A, 500 * MS, NO_DEADLINE), "asked later, still after the others");
  }

  @Test
  void aReservationPastTheDeadlineIsRefusedAndTakesNothing() {
    ClientPace pace = new ClientPace(1, 1);
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(-1, pace.reserve(A, 0, SECOND - 1));
    assertEquals(-1, pace.reserve(A, 0, 500 * MS));
    assertEquals(SECOND, pace.reserve(A, 0, SECOND), "a deadline on the very time is met; nothing was taken");
  }

  @Test
  void eachOriginHasItsOwnBucket() {
    ClientPace pace = new ClientPace(1, 1);
    assertEquals(0, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(0, pace.reserve(B, 0, NO_DEADLINE));
    assertEquals(SECOND, pace.reserve(A, 0, NO_DEADLINE));
    assertEquals(SECOND, pace.reserve(B, 0, NO_DEADLINE));
  }

  @Test
  void aBucketFirstUsedLaterStartsFullThen() {
    ClientPace pace = new ClientPace(1, 2);
    long t = 7 * SECOND;
    assertEquals(t, pace.reserve(A, t, NO_DEADLINE));
    assertEquals(t, pace.reserve(A, t, NO_DEADLINE));
    assertEquals(t + SECOND, pace.reserve(A, t, NO_DEADLINE));
  }
}
