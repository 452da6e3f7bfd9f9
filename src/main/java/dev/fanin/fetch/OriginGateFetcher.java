package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * Waits for the origin's turn before a request goes out, for as long as the source's deadline
 * allows: first the definition's own rate ({@link ClientPace}), then the origin's gate (its limit on
 * requests in flight and its pace: {@link OriginGate}), then the rule's daily budget
 * ({@link DailyBudgets}). A request whose turn would come after its deadline ends at once as
 * rate_limited, saying when the origin would have allowed it; nothing is sent, and the origin's
 * breaker never hears of it. What the origin answers goes back to its gate, which paces by it.
 * All of the wait (the definition's rate, the gate, the daily budget) is the attempt's origin wait
 * in its timings; one that ends unsent keeps it open until its result is made, at once.
 */
public final class OriginGateFetcher implements Fetcher {
  /** A soft limit carries no Retry-After: the origin is paused this long. */
  static final long SOFT_LIMIT_PAUSE_MS = 1_000;

  private final Fetcher next;
  private final OriginGates gates;
  private final Vertx vertx;

  public OriginGateFetcher(Fetcher next, OriginGates gates, Vertx vertx) {
    this.next = next;
    this.gates = gates;
    this.vertx = vertx;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    if (context.isCancelled()) {
      return Future.failedFuture(context.cancellation());
    }
    context.timings().enter(Timings.Phase.ORIGIN);
    ClientPace pace = context.pace();
    if (pace == null) {
      return admit(request);
    }
    long now = System.nanoTime();
    long at = pace.reserve(request.origin(), now, context.deadlineNanos());
    if (at < 0) {
      gates.counted(request.origin(), "client");
      return Future.failedFuture(FetchException.rateLimited("the definition's rate (" + pace
          + ") would allow it after the source's deadline; it was not sent", 0));
    }
    return at <= now ? admit(request) : sleep(context, (at - now + 999_999) / 1_000_000).compose(v -> admit(request));
  }

  /** Enters the origin's gate, or waits in its line until the turn comes or the deadline passes. */
  private Future<FetchResponse> admit(FetchRequest request) {
    FetchContext context = request.context();
    String origin = request.origin();
    Context here = vertx.getOrCreateContext();
    OriginGate gate;
    OriginGate.Waiter waiter;
    long now;
    do {
      gate = gates.gate(origin);
      now = System.nanoTime();
      waiter = gate.enterOrQueue(here, context.fairnessGroup(), context.deadlineNanos(), now);
    } while (waiter == OriginGate.RETIRED);
    if (waiter == null) {
      return budgeted(request, gate, now);
    }
    if (waiter == OriginGate.FULL) {
      return Future.failedFuture(new FetchException(ErrorKind.REJECTED,
          "too many requests are waiting for upstream origins (client.maxWaitQueue)"));
    }
    if (waiter instanceof OriginGate.TooLate late) {
      gates.counted(origin, "pace");
      return Future.failedFuture(gates.rateLimited(origin, late.allowedAt, "the origin's pace"));
    }
    return waitForTurn(request, gate, waiter);
  }

  private Future<FetchResponse> waitForTurn(FetchRequest request, OriginGate gate, OriginGate.Waiter waiter) {
    FetchContext context = request.context();
    String origin = request.origin();
    context.waitingFor(origin);
    long timer = vertx.setTimer(Math.max(1, context.remainingMs()), t -> {
      if (gate.leave(waiter)) {
        if (gate.paced(System.nanoTime())) {
          gates.counted(origin, "pace");
          waiter.turn.tryFail(FetchException.rateLimited("the deadline passed while it waited for "
              + origin + ", which fanin paces (see GET /v1/origins); it was not sent", 0));
        } else {
          waiter.turn.tryFail(FetchException.notJudging(ErrorKind.TIMEOUT, "the deadline passed while "
              + context.waiting()));
        }
      }
    });
    Runnable unhook = context.onCancel(() -> {
      if (gate.leave(waiter)) {
        waiter.turn.tryFail(context.cancellation());
      }
    });
    return waiter.turn.future().transform(ar -> {
      if (ar.succeeded()) {
        context.waitingFor(null); // a source that gave up keeps saying why, whoever reports its end
      } else {
        context.timings().leave(Timings.Phase.ORIGIN);
      }
      vertx.cancelTimer(timer);
      unhook.run();
      return ar.succeeded() ? budgeted(request, gate, waiter.admittedAt) : Future.failedFuture(ar.cause());
    });
  }

  /** Draws on the rule's daily budget, when it has one, then sends (admitted at {@code admittedAt}). */
  private Future<FetchResponse> budgeted(FetchRequest request, OriginGate gate, long admittedAt) {
    FaninConfig.OriginRule rule = gate.rule();
    if (rule == null || rule.perDay() <= 0) {
      return send(request, gate, admittedAt);
    }
    return gates.budgets().take(rule).transform(ar -> {
      if (ar.succeeded() && ar.result()) {
        return send(request, gate, admittedAt);
      }
      gate.exit();
      if (ar.failed()) {
        return Future.failedFuture(FetchException.notJudging(ErrorKind.REJECTED,
            "the daily budget of \"" + rule.match() + "\" could not be counted: " + ar.cause().getMessage()));
      }
      gates.counted(request.origin(), "budget");
      long renewal = gates.budgets().msUntilRenewal();
      return Future.failedFuture(FetchException.rateLimited("the daily budget of " + rule.perDay()
          + " requests of the upstream.origins rule \"" + rule.match() + "\" is spent; it renews at "
          + Instant.now().plusMillis(renewal).toString().substring(0, 10) + "T00:00Z (in " + renewal / 60_000
          + " min); it was not sent", 0));
    });
  }

  /** Sends; what the answer says goes back to the gate as of {@code sentAt}, when the gate let it go. */
  private Future<FetchResponse> send(FetchRequest request, OriginGate gate, long sentAt) {
    request.context().timings().leave(Timings.Phase.ORIGIN);
    Future<FetchResponse> sent;
    try {
      sent = next.fetch(request);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.transform(ar -> {
      Future<FetchResponse> outcome = judge(ar, gate, sentAt, request.origin(), request.timeoutMs(),
          request.context().isCancelled());
      gate.exit();
      return outcome;
    });
  }

  /** Tells the gate what the answer says of the origin; a soft limit becomes a rate_limited failure. */
  private Future<FetchResponse> judge(AsyncResult<FetchResponse> ar, OriginGate gate, long sentAt, String origin,
      int timeoutMs, boolean cancelled) {
    if (ar.failed()) {
      Throwable t = ar.cause();
      ErrorKind kind = FetchException.kindOf(t);
      boolean overload = !cancelled && (kind == ErrorKind.CONNECT
          || (kind == ErrorKind.TIMEOUT && timeoutMs >= gates.minTimeoutMs()
              && (!(t instanceof FetchException fe) || fe.judgesOrigin())));
      gate.record(overload ? OriginGate.Outcome.OVERLOADED : OriginGate.Outcome.NEUTRAL, sentAt, -1,
          RateLimitHeaders.NONE);
      return Future.failedFuture(t);
    }
    FetchResponse response = ar.result();
    RateLimitHeaders said = RateLimitHeaders.of(response.headers(), System.currentTimeMillis());
    long retryAfter = RetryAfter.millis(response.headers().get("Retry-After"), Instant.now());
    int status = response.status();
    // a 503 with Retry-After: 0 ("try again now") says nothing of a rate: it is an overload below
    if (status == 429 || (status == 503 && retryAfter > 0)) {
      gates.throttledAnswer(origin);
      gate.record(OriginGate.Outcome.THROTTLED, sentAt, retryAfter, said);
      return Future.succeededFuture(response);
    }
    if (status == 503) {
      gate.record(OriginGate.Outcome.OVERLOADED, sentAt, -1, said);
      return Future.succeededFuture(response);
    }
    String soft = SoftLimit.find(gate.rule(), response);
    if (soft != null) {
      gates.throttledAnswer(origin);
      gate.record(OriginGate.Outcome.THROTTLED, sentAt, SOFT_LIMIT_PAUSE_MS, said);
      gates.counted(origin, "soft");
      return Future.failedFuture(FetchException.rateLimited("the upstream's answer says its rate limit was hit ("
          + gate.rule().softLimitPointer() + ": " + soft + ")", status));
    }
    gate.record(OriginGate.Outcome.ACCEPTED, sentAt, -1, said);
    return Future.succeededFuture(response);
  }

  private Future<Void> sleep(FetchContext context, long ms) {
    Promise<Void> woken = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, ms), t -> woken.tryComplete());
    Runnable unhook = context.onCancel(() -> {
      vertx.cancelTimer(timer);
      woken.tryFail(context.cancellation());
    });
    return woken.future().andThen(ar -> unhook.run());
  }
}
