package dev.fanin.fetch;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.Gates;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One origin's admission: fair across groups (round-robin), in order within one, idle gates forgotten. */
@ExtendWith(VertxExtension.class)
class OriginGateTest {
  static final int LIMIT = 1;
  /** A deadline no wait here reaches. */
  static final long FAR = Long.MAX_VALUE;
  Context loop;
  OriginGates gates;
  OriginGate gate;

  @BeforeEach
  void setUp(Vertx vertx) {
    loop = vertx.getOrCreateContext();
    gates = Gates.fixed(vertx, LIMIT, 100);
    gate = new OriginGate("http://a.example:80", gates);
  }

  OriginGate.Waiter enter(OriginGate g) {
    return g.enterOrQueue(loop, "g", FAR, System.nanoTime());
  }

  OriginGate.Waiter queue(String group) {
    OriginGate.Waiter waiter = gate.enterOrQueue(loop, group, FAR, System.nanoTime());
    assertTrue(waiter != null && waiter != OriginGate.FULL && waiter != OriginGate.RETIRED, "not queued");
    return waiter;
  }

  /** Ends one request in flight and returns which of the waiters got the turn. */
  OriginGate.Waiter nextTurn(List<OriginGate.Waiter> waiters) {
    List<OriginGate.Waiter> before = granted(waiters);
    gate.exit();
    assertTrue(eventually(5_000, () -> granted(waiters).size() == before.size() + 1), "nobody got the turn");
    List<OriginGate.Waiter> after = granted(waiters);
    after.removeAll(before);
    return after.get(0);
  }

  static List<OriginGate.Waiter> granted(List<OriginGate.Waiter> waiters) {
    List<OriginGate.Waiter> done = new ArrayList<>();
    for (OriginGate.Waiter w : waiters) {
      if (w.turn.future().succeeded()) {
        done.add(w);
      }
    }
    return done;
  }

  @Test
  void aGroupWithOneRequestWaitsAboutOneTurnHoweverManyAnotherGroupQueued() {
    assertNull(gate.enterOrQueue(loop, "big", FAR, System.nanoTime()), "the first enters at once");
    OriginGate.Waiter big1 = queue("big");
    OriginGate.Waiter big2 = queue("big");
    OriginGate.Waiter big3 = queue("big");
    OriginGate.Waiter small = queue("small");
    List<OriginGate.Waiter> all = List.of(big1, big2, big3, small);
    assertSame(big1, nextTurn(all));
    assertSame(small, nextTurn(all), "round-robin across groups: not behind all of big's queue");
    assertSame(big2, nextTurn(all));
    assertSame(big3, nextTurn(all));
    assertEquals(0, gate.waiting());
    assertEquals(1, gate.inFlight());
  }

  @Test
  void aWaiterThatLeftIsPassedOver() {
    gate.enterOrQueue(loop, "g", FAR, System.nanoTime());
    OriginGate.Waiter first = queue("g");
    OriginGate.Waiter second = queue("g");
    assertTrue(gate.leave(first));
    assertFalse(gate.leave(first), "it is out of line already");
    assertSame(second, nextTurn(List.of(first, second)));
    assertFalse(first.turn.future().isComplete());
  }

  @Test
  void aTurnGivenToAWaiterThatGaveUpMeanwhilePassesOn() {
    gate.enterOrQueue(loop, "g", FAR, System.nanoTime());
    OriginGate.Waiter gaveUp = queue("g");
    OriginGate.Waiter next = queue("other");
    gaveUp.turn.tryFail("its deadline passed just now");
    assertSame(next, nextTurn(List.of(gaveUp, next)));
    assertEquals(1, gate.inFlight(), "the turn was not lost nor counted twice");
  }

  @Test
  void idleGatesAreForgottenAndBusyOnesKept() throws Exception {
    Context here = loop;
    assertNull(enter(gates.gate("http://idle.example:80")));
    gates.gate("http://idle.example:80").exit();
    assertNull(enter(gates.gate("http://busy.example:80")));
    OriginGate idle = gates.gate("http://idle.example:80");
    gates.sweep(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OriginGates.IDLE_MS) + 1);
    assertEquals(1, gates.size(), "only the busy origin keeps a gate");
    assertNull(gates.existing("http://idle.example:80"));
    // a request that still held the retired gate looks the origin up again
    assertSame(OriginGate.RETIRED, idle.enterOrQueue(here, "g", FAR, System.nanoTime()));
    assertNull(enter(gates.gate("http://idle.example:80")));
    assertNotSame(idle, gates.existing("http://idle.example:80"));
  }
}
