package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncSemaphoreTest {

  @Test
  void permitsAreTakenAtOnceUntilNoneAreLeft() {
    AsyncSemaphore s = new AsyncSemaphore(2);
    assertNull(s.acquireOrWait());
    assertEquals(1, s.available());
    assertNull(s.acquireOrWait());
    assertEquals(0, s.available());

    Promise<Void> waiter = s.acquireOrWait();
    assertNotNull(waiter);
    assertFalse(waiter.future().isComplete());
    assertEquals(1, s.waiting());

    s.release();
    assertTrue(waiter.future().succeeded());
    assertEquals(0, s.available(), "the permit went to the waiter, not back to the pool");
    assertEquals(0, s.waiting());

    s.release();
    s.release();
    assertEquals(2, s.available());
  }

  @Test
  void zeroPermitsMakesEveryoneWait() {
    AsyncSemaphore s = new AsyncSemaphore(0);
    Promise<Void> w = s.acquireOrWait();
    assertNotNull(w);
    s.release();
    assertTrue(w.future().succeeded());
    assertEquals(0, s.available());
  }

  @Test
  void waitersAreServedInArrivalOrder() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    assertNull(s.acquireOrWait());
    List<Integer> order = new ArrayList<>();
    List<Promise<Void>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      Promise<Void> w = s.acquireOrWait();
      w.future().onSuccess(v -> order.add(n));
      waiters.add(w);
    }
    assertEquals(5, s.waiting());
    for (int i = 0; i < 5; i++) {
      s.release();
      assertEquals(i + 1, order.size());
    }
    assertEquals(List.of(0, 1, 2, 3, 4), order);
    s.release();
    assertEquals(1, s.available());
  }

  @Test
  void newcomerDoesNotJumpTheQueueWhenAPermitIsFree() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    assertNull(s.acquireOrWait());
    Promise<Void> first = s.acquireOrWait();
    Promise<Void> second = s.acquireOrWait();
    s.release();
    assertTrue(first.future().succeeded());
    assertFalse(second.future().isComplete());
    assertNotNull(s.acquireOrWait(), "a newcomer waits behind the queue");
  }

  @Test
  void waiterFailedFromOutsideGivesItsTurnToTheNext() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    assertNull(s.acquireOrWait());
    Promise<Void> cancelled = s.acquireOrWait();
    Promise<Void> alsoCancelled = s.acquireOrWait();
    Promise<Void> next = s.acquireOrWait();
    assertTrue(cancelled.tryFail(new FetchException(ErrorKind.CANCELLED, "gone")));
    assertTrue(alsoCancelled.tryFail("gone too"));

    s.release();
    assertTrue(next.future().succeeded());
    assertTrue(cancelled.future().failed());
    assertEquals(0, s.available());
    assertEquals(0, s.waiting());
  }

  @Test
  void permitReturnsToThePoolWhenEveryWaiterWasFailed() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    assertNull(s.acquireOrWait());
    Promise<Void> w = s.acquireOrWait();
    w.fail("cancelled");
    s.release();
    assertEquals(1, s.available());
    assertEquals(0, s.waiting());
    assertNull(s.acquireOrWait());
  }
}
