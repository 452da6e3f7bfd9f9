package dev.fanin.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.fanin.definition.CacheSpec;
import dev.fanin.tracing.TraceSpan;

/**
 * The mutable state of one source while it is fetched: its deadline, its cancellation, the byte
 * budget it shares with its aggregation, and counters for the result. Confined to one event loop
 * (a request sent from another loop gets its own copy: see SpreadingFetcher).
 */
public final class FetchContext {
  private final long startNanos;
  private final long deadlineNanos;
  private final ByteBudget budget;
  private final long maxBodyBytes;
  private List<Runnable> cancelHooks;
  private FetchException cancelledBy;
  private int attempts;
  private long firstAttemptNanos;
  private boolean trusted;
  private String requestId;
  private String via;
  private String client;
  private Set<String> secretHeaders = Set.of();
  private boolean keepBodyOnRedirect;
  private String waitingFor;
  private long waitingSinceNanos;
  private CacheSpec cacheSpec;
  private ClientPace pace;
  private String budgetHolder;
  private dev.fanin.config.HedgeSpec hedge;
  private Timings timings;
  private Exchanges exchanges;
  private TraceSpan trace = TraceSpan.NONE;
  private String breakerState;
  /** On a lane's copy: the attempts its source made before it, and the current attempt's wait for the origin. */
  private int priorAttempts;
  private long laneOriginWaitNanos = -1;

  public FetchContext(long startNanos, long deadlineNanos, ByteBudget budget, long maxBodyBytes) {
    this.startNanos = startNanos;
    this.timings = new Timings(startNanos);
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Marks a source from operator configuration, which the upstream policy trusts more. */
  public FetchContext trusted(boolean trusted) {
    this.trusted = trusted;
    return this;
  }

  public boolean trusted() {
    return trusted;
  }

  /** How this source may use the response cache; null means it may not. */
  public FetchContext cacheSpec(CacheSpec spec) {
    this.cacheSpec = spec;
    return this;
  }

  public CacheSpec cacheSpec() {
    return cacheSpec;
  }


  /** The id of the request this source belongs to; sent upstream as X-Request-Id. */
  public FetchContext requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  public String requestId() {
    return requestId;
  }

  /** The Via the request that started this source arrived with, or null; passed on upstream. */
  public FetchContext via(String via) {
    this.via = via;
    return this;
  }

  public String via() {
    return via;
  }

  /** The API key id this source runs for, or null without keys. */
  public FetchContext client(String client) {
    this.client = client;
    return this;
  }

  public String client() {
    return client;
  }

  /**
   * What this source allows a redirect to another origin to carry: headers it marked as secret are
   * dropped with the usual credentials, and its body only when it opted in.
   */
  public FetchContext redirects(Set<String> secretHeaders, boolean keepBodyOnRedirect) {
    this.secretHeaders = secretHeaders;
    this.keepBodyOnRedirect = keepBodyOnRedirect;
    return this;
  }

  public Set<String> secretHeaders() {
    return secretHeaders;
  }

  public boolean keepBodyOnRedirect() {
    return keepBodyOnRedirect;
  }

  /** Marks that this source waits for an origin's turn (null: it stopped waiting). */
  void waitingFor(String origin) {
    this.waitingFor = origin;
    this.waitingSinceNanos = System.nanoTime();
  }

  /**
   * Why this source has not been sent yet, when it waits for an origin's turn: for the message of a
   * source that its deadline ends while it waits. Null when it does not wait.
   */
  public String waiting() {
    return waitingFor == null ? null : "it waited " + (System.nanoTime() - waitingSinceNanos) / 1_000_000
        + " ms for a connection to " + waitingFor + ", whose requests in flight were at their limit"
        + " (client.maxConnectionsPerOrigin)";
  }

  /**
   * Whom this source's requests queue with for an origin's turn: its API key, or without keys its
   * own aggregation (identified by the byte budget every source of one aggregation shares).
   */
  public Object fairnessGroup() {
    return client != null ? client : budget;
  }

  /**
   * Whose share of the response cache an answer stored for this source counts against: its API
   * key, or without keys its own aggregation (request).
   */
  public String cacheOwner() {
    return client != null ? "key:" + client : "request:" + requestId;
  }

  /** Whose upstream budget this source draws on (see ClientBudgets); null for none. */
  public FetchContext budgetHolder(String holder) {
    this.budgetHolder = holder;
    return this;
  }

  public String budgetHolder() {
    return budgetHolder;
  }

  /** The definition's own rate, shared by its aggregation's sources; null when it sets none. */
  public FetchContext pace(ClientPace pace) {
    this.pace = pace;
    return this;
  }

  public ClientPace pace() {
    return pace;
  }

  /** The span of the aggregation this source belongs to: its attempts' spans are children of it. */
  public FetchContext trace(TraceSpan span) {
    this.trace = span;
    return this;
  }

  public TraceSpan trace() {
    return trace;
  }

  /** The state of the origin's breaker when it let the current attempt through (for its span). */
  void breakerState(String state) {
    this.breakerState = state;
  }

  /** The breaker's state at the current attempt, or null when no breaker judged it. */
  public String breakerState() {
    return breakerState;
  }

  /** The aggregation's deadline on the System.nanoTime clock. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** Milliseconds left until the aggregation's deadline (may be negative). */
  public long remainingMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }

  public ByteBudget budget() {
    return budget;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * A context for sending this source's request from another event loop: the same deadline, byte
   * budget, body bound and request id, with its own cancellation and attempt count.
   */
  FetchContext copyForLane() {
    FetchContext copy = new FetchContext(startNanos, deadlineNanos, budget, maxBodyBytes).requestId(requestId).via(via)
        .client(client).trusted(trusted).trace(trace);
    copy.breakerState = breakerState;
    if (trace.recording()) {
      // the lane's attempt is numbered, and its pacing told, as its source's (for its span)
      copy.priorAttempts = priorAttempts + attempts;
      int row = timings.attempts() - 1;
      copy.laneOriginWaitNanos = row < 0 ? 0 : timings.nanos(row, Timings.Phase.ORIGIN);
    }
    copy.exchanges = exchanges == null ? null : exchanges.copy();
    return copy;
  }

  /** When this source's GET or HEAD is hedged (its own setting), or null for the origin's rule. */
  public FetchContext hedge(dev.fanin.config.HedgeSpec hedge) {
    this.hedge = hedge;
    return this;
  }

  public dev.fanin.config.HedgeSpec hedge() {
    return hedge;
  }

  /**
   * A context for one of a hedged source's racing requests (see HedgingFetcher): everything the
   * layers below the retries read (deadline, budgets, pace, client), with its own cancellation,
   * attempts and timings, on the same loop.
   */
  FetchContext copyForHedge() {
    FetchContext copy = copyForLane().pace(pace).budgetHolder(budgetHolder).cacheSpec(cacheSpec);
    copy.timings = new Timings(timings.originNanos());
    copy.laneOriginWaitNanos = -1; // a racing request waits for the origin's turn itself
    return copy;
  }

  /** Adds a racing request's attempts as attempts of their own (its timings' rows after this one's). */
  void appendAttempts(FetchContext copy) {
    int firstRow = timings.attempts();
    timings.append(copy.timings);
    if (exchanges != null && copy.exchanges != null) {
      exchanges.append(copy.exchanges, firstRow);
    }
    if (copy.attempts > 0) {
      if (attempts == 0 || copy.firstAttemptNanos < firstAttemptNanos) {
        firstAttemptNanos = copy.firstAttemptNanos;
      }
      attempts += copy.attempts;
    }
  }

  /** Counts the attempts made through a copy, and adds their timings (back on this context's loop). */
  void absorbAttempts(FetchContext copy) {
    timings.absorb(copy.timings);
    if (exchanges != null && copy.exchanges != null) {
      exchanges.absorb(copy.exchanges, timings.attempts() - 1);
    }
    if (copy.attempts > 0) {
      if (attempts == 0) {
        firstAttemptNanos = copy.firstAttemptNanos;
      }
      attempts += copy.attempts;
    }
  }

  /** Called by the HTTP layer each time a request is really sent upstream. */
  public void attemptStarted() {
    timings.sent();
    if (attempts++ == 0) {
      firstAttemptNanos = System.nanoTime();
    }
  }

  /**
   * Counts the attempts' starts in the timings from {@code originNanos} (a batch run's start) rather
   * than from this context's start (when the run admitted the source). Call before the fetch.
   */
  public FetchContext timedFrom(long originNanos) {
    this.timings = new Timings(originNanos);
    return this;
  }

  /**
   * Where this source's time went, attempt by attempt. It travels up through the context, like the
   * attempts, because a deadline can end the source while it still waits.
   */
  public Timings timings() {
    return timings;
  }

  /**
   * Makes this source record the HTTP exchanges it sends (for a HAR answer); without this call
   * nothing is recorded.
   */
  public FetchContext recordExchanges(Exchanges log) {
    this.exchanges = log;
    return this;
  }

  /** The exchanges this source sent, or null when its run did not ask for them. */
  public Exchanges exchanges() {
    return exchanges;
  }

  public int attempts() {
    return attempts;
  }

  /** The number of the attempt being sent: 1 for the source's first, 2 for its first retry (also on a lane). */
  public int attemptNumber() {
    return priorAttempts + attempts;
  }

  /** How long the current attempt waited for the origin's turn, in milliseconds (waitMs.origin). */
  public long originWaitMs() {
    if (laneOriginWaitNanos >= 0) {
      return laneOriginWaitNanos / 1_000_000;
    }
    int row = timings.attempts() - 1;
    return row < 0 ? 0 : timings.nanos(row, Timings.Phase.ORIGIN) / 1_000_000;
  }

  /** When the first attempt began, or the aggregation's start if none did. */
  public long firstAttemptNanos() {
    return attempts == 0 ? startNanos : firstAttemptNanos;
  }


  public boolean isCancelled() {
    return cancelledBy != null;
  }

  /** The failure a cancelled fetch ends with. */
  public FetchException cancellation() {
    return cancelledBy;
  }

  /**
   * Runs the hook when this source is cancelled (at once if it already is). Returns a handle that
   * removes the hook, to be called when the stage it guards completes.
   */
  public Runnable onCancel(Runnable hook) {
    if (cancelledBy != null) {
      hook.run();
      return () -> {};
    }
    if (cancelHooks == null) {
      cancelHooks = new ArrayList<>(2);
    }
    cancelHooks.add(hook);
    return () -> {
      if (cancelHooks != null) {
        cancelHooks.remove(hook);
      }
    };
  }

  /** Cancels every stage still running for this source: timers stop, requests are reset. */
  public void cancel(FetchException reason) {
    if (cancelledBy != null) {
      return;
    }
    cancelledBy = reason;
    List<Runnable> hooks = cancelHooks;
    cancelHooks = null;
    if (hooks != null) {
      for (Runnable hook : hooks) {
        hook.run();
      }
    }
  }
}
