package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One client's upstream budget: a token bucket of its upstream requests a second and a bound on its
 * requests in flight, across every aggregation and feed it runs. A request takes its token first
 * (reserving it when the bucket is empty: the request goes when its token is due) and then a slot in
 * flight, waiting FIFO for one; a request whose token would come after its deadline, or that is
 * still waiting for a slot at its deadline, ends rate_limited without being sent. Used from every
 * event loop: state is guarded by this object's monitor, and waiters are woken on their own loops.
 */
final class ClientAllowance {
  /** A slot in flight, given back once when the request is over. */
  final class Permit {
    private boolean released;

    void release() {
      synchronized (ClientAllowance.this) {
        if (released) {
          return;
        }
        released = true;
      }
      exit();
    }
  }

  private record Waiter(Promise<Permit> promise, Context loop, long tokenAt, long[] timer) {}

  private final String holder;
  private final ClientBudgets all;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private FaninConfig.ClientBudget budget;
  private TokenBucket bucket;
  private int inFlight;
  private long sent;
  private long throttled;
  private long refused;
  private long lastUsedMs = System.currentTimeMillis();
  private boolean retired;

  ClientAllowance(String holder, ClientBudgets all) {
    this.holder = holder;
    this.all = all;
  }

  String holder() {
    return holder;
  }

  synchronized long lastUsedMs() {
    return lastUsedMs;
  }

  /** A permit now or later, a rate_limited failure, or null when this allowance was retired. */
  Future<Permit> acquire(FaninConfig.ClientBudget current, long deadline, Context loop,
      Function<Runnable, Runnable> onCancel) {
    long now = System.nanoTime();
    long tokenAt;
    Permit now_;
    Waiter waiter = null;
    synchronized (this) {
      if (retired) {
        return null;
      }
      lastUsedMs = System.currentTimeMillis();
      configure(current, now);
      tokenAt = now;
      if (bucket != null) {
        tokenAt = bucket.nextAt(now);
        if (tokenAt > deadline) {
          refused++;
          all.metrics().clientRefused(ClientBudgets.label(holder), "rate");
          return Future.failedFuture(FetchException.rateLimited("its client's upstream budget ("
              + budget.upstreamPerSecond() + " requests a second, burst " + budget.upstreamBurst()
              + ": security.clientBudget.upstreamPerSecond) would allow it in " + (tokenAt - now) / 1_000_000
              + " ms, after the source's deadline; it was not sent", 0));
        }
        bucket.owe(now);
      }
      int max = budget.maxUpstreamInFlight();
      if (max <= 0 || (inFlight < max && waiters.isEmpty())) {
        inFlight++;
        sent++;
        now_ = new Permit();
      } else {
        now_ = null;
        waiter = new Waiter(Promise.promise(), loop, tokenAt, new long[] {-1});
        waiters.addLast(waiter);
      }
    }
    if (now_ != null) {
      all.metrics().clientAdmitted(ClientBudgets.label(holder));
      return at(tokenAt, now_, now);
    }
    Waiter w = waiter;
    Runnable unhook = onCancel.apply(() -> {
      boolean removed;
      synchronized (this) {
        removed = waiters.remove(w);
      }
      if (removed) {
        all.cancelTimer(w.timer()[0]);
        w.loop().runOnContext(v -> w.promise().tryFail(new FetchException(ErrorKind.CANCELLED, "cancelled")));
      }
    });
    w.promise().future().onComplete(ar -> unhook.run());
    w.timer()[0] = all.timer(Math.max(1, (deadline - now) / 1_000_000), () -> {
      boolean removed;
      synchronized (this) {
        removed = waiters.remove(w);
        if (removed) {
          refused++;
        }
      }
      if (removed) {
        all.metrics().clientRefused(ClientBudgets.label(holder), "inFlight");
        w.loop().runOnContext(v -> w.promise().tryFail(FetchException.rateLimited("its client's "
            + budget.maxUpstreamInFlight() + " upstream requests in flight (security.clientBudget.maxUpstreamInFlight)"
            + " were all busy until the source's deadline; it was not sent", 0)));
      }
    });
    return w.promise().future();
  }

  /** The permit, once its token is due. */
  private Future<Permit> at(long tokenAt, Permit permit, long now) {
    if (tokenAt <= now) {
      return Future.succeededFuture(permit);
    }
    Promise<Permit> due = Promise.promise();
    all.timer((tokenAt - now + 999_999) / 1_000_000, () -> due.complete(permit));
    return due.future();
  }

  /** The budget in force: a changed one replaces the bucket (what it saved is not carried over). */
  private void configure(FaninConfig.ClientBudget current, long now) {
    if (current.equals(budget)) {
      return;
    }
    budget = current;
    bucket = current.upstreamPerSecond() > 0
        ? new TokenBucket(current.upstreamPerSecond(), Math.max(1, current.upstreamBurst()), now) : null;
  }

  /** A request is over: its slot goes to the first waiter, once that waiter's token is due. */
  private void exit() {
    List<Waiter> granted = new ArrayList<>(1);
    synchronized (this) {
      inFlight--;
      lastUsedMs = System.currentTimeMillis();
      int max = budget.maxUpstreamInFlight();
      while (!waiters.isEmpty() && (max <= 0 || inFlight < max)) {
        inFlight++;
        sent++;
        granted.add(waiters.pollFirst());
      }
    }
    long now = System.nanoTime();
    for (Waiter w : granted) {
      all.cancelTimer(w.timer()[0]);
      all.metrics().clientAdmitted(ClientBudgets.label(holder));
      Permit permit = new Permit();
      w.loop().runOnContext(v -> at(w.tokenAt(), permit, now).onComplete(ar -> {
        if (!w.promise().tryComplete(permit)) {
          permit.release(); // it gave up meanwhile: the slot passes on
        }
      }));
    }
  }

  /** A throttling answer (429) came back to one of this client's requests. */
  synchronized void throttled() {
    throttled++;
  }

  synchronized boolean retireIfIdle(long nowMs, long idleMs) {
    retired = inFlight == 0 && waiters.isEmpty() && nowMs - lastUsedMs >= idleMs;
    return retired;
  }

  synchronized ClientSnapshot snapshot(long now) {
    return new ClientSnapshot(holder, budget, bucket == null ? -1 : bucket.tokens(now), inFlight, waiters.size(), sent,
        throttled, refused);
  }
}
