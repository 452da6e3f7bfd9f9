package dev.fanin.fetch;

import java.util.Arrays;

/**
 * Where one source's time went, attempt by attempt: when each attempt began, its waits (the
 * aggregation's slot, the client's budget, the origin's turn, a pooled connection), connecting,
 * the response head, the body, and the backoff after it. Phases are System.nanoTime spans taken on
 * the source's event loop (an exchange sent from another lane is timed there, on its own copy, and
 * absorbed back). Confined to that loop; read-only once frozen, when its result is made.
 *
 * <p>Cheap on purpose: one phase is open at a time (a stage enters it when it starts waiting and
 * leaves it when it hands on), and all attempts live in one long[] created at the first attempt.
 * A phase a failure left open is closed by whatever comes next on the source's timeline (the next
 * phase, or the result), which follows at once.
 */
public final class Timings {
  /** The phases of an attempt, in the order the pipeline passes them. */
  public enum Phase { SLOT, BUDGET, ORIGIN, POOL, CONNECT, HEAD, BODY, BACKOFF }

  private static final Phase[] PHASES = Phase.values();
  private static final int START = PHASES.length;
  private static final int SENT = START + 1;
  private static final int STRIDE = SENT + 1;
  private static final Timings NONE = new Timings(0).freeze("upstream");

  private final long originNanos;
  private long[] rows;
  private int count;
  private Phase open;
  private long since;
  private boolean coalesced;
  private boolean frozen;
  private String from;

  /** @param originNanos the aggregation's start, from which attempts' starts are counted */
  public Timings(long originNanos) {
    this.originNanos = originNanos;
  }

  /** Frozen timings of a source that made no attempt and came from nowhere special (for tests). */
  public static Timings none() {
    return NONE;
  }

  /**
   * An attempt begins (it reaches the aggregation's concurrency slot): the outcome is this source's
   * own again, even when an earlier redirect hop was another request's.
   */
  void begin() {
    if (frozen) {
      return;
    }
    coalesced = false;
    long now = System.nanoTime();
    close(now);
    row(now);
  }

  /** The source starts waiting in this phase (ends the one open). */
  void enter(Phase phase) {
    if (frozen) {
      return;
    }
    long now = System.nanoTime();
    close(now);
    if (count == 0) {
      row(now);
    }
    open = phase;
    since = now;
  }

  /** The phase ends, when it is the one open. */
  void leave(Phase phase) {
    leaveAs(phase, phase);
  }

  /** The phase ends, when it is the one open, its time counted as {@code as} (known only now). */
  void leaveAs(Phase phase, Phase as) {
    if (open == phase && !frozen) {
      open = as;
      close(System.nanoTime());
    }
  }

  /** Whatever phase is open ends (the HTTP exchange is over). */
  void leave() {
    if (open != null && !frozen) {
      close(System.nanoTime());
    }
  }

  /** The current attempt reached the HTTP client (it counts in the result's attempts). */
  void sent() {
    if (frozen) {
      return;
    }
    if (count == 0 || rows[(count - 1) * STRIDE + SENT] != 0) {
      row(System.nanoTime());
    }
    rows[(count - 1) * STRIDE + SENT] = 1;
  }

  /**
   * Adds what an exchange sent from another lane spent (on its copy's timings) to the current
   * attempt, replacing the stand-in phase this side kept open meanwhile (see SpreadingFetcher).
   */
  void absorb(Timings lane) {
    if (frozen) {
      return;
    }
    if (open == Phase.HEAD) {
      open = null;
    }
    for (int r = 0; r < lane.count; r++) {
      int from = r * STRIDE;
      if (count == 0) {
        row(lane.rows[from + START]);
      }
      int to = (count - 1) * STRIDE;
      for (int p = Phase.POOL.ordinal(); p <= Phase.BODY.ordinal(); p++) {
        rows[to + p] += lane.rows[from + p];
      }
      rows[to + SENT] |= lane.rows[from + SENT];
    }
  }

  /**
   * Appends the attempts of a racing request (a hedge, or the first request of a hedged source) as
   * rows of their own, after this one's: each keeps its start and phases.
   */
  void append(Timings other) {
    if (frozen) {
      return;
    }
    other.leave();
    for (int r = 0; r < other.count; r++) {
      int from = r * STRIDE;
      row(other.rows[from + START]);
      System.arraycopy(other.rows, from, rows, (count - 1) * STRIDE, STRIDE);
    }
  }

  /** Whether the current attempt is out of its waits: connecting, or waiting for or reading the answer. */
  boolean inExchange() {
    return open == Phase.CONNECT || open == Phase.POOL || open == Phase.HEAD || open == Phase.BODY
        || (count > 0 && rows[(count - 1) * STRIDE + SENT] != 0);
  }

  long originNanos() {
    return originNanos;
  }

  /** This source waits for an identical request of another source (or, false, no longer does). */
  public void coalesced(boolean joined) {
    this.coalesced = joined;
  }

  /** Whether the source's outcome is another source's request's (set by coalescing). */
  public boolean isCoalesced() {
    return coalesced;
  }

  /**
   * Ends recording when the source's result is made: an open phase counts until now. The first
   * call wins; later ones (a decoded answer after the deadline ended the source) change nothing.
   *
   * @param from where the answer came from: upstream, cache or coalesced
   */
  public Timings freeze(String from) {
    if (!frozen) {
      close(System.nanoTime());
      this.from = from;
      frozen = true;
    }
    return this;
  }

  /** upstream (its own attempts), cache or coalesced. */
  public String from() {
    return from;
  }

  public int attempts() {
    return count;
  }

  /** When attempt {@code i} began, in ns from the aggregation's start. */
  public long startNanos(int i) {
    return Math.max(0, rows[i * STRIDE + START] - originNanos);
  }

  /** The ns attempt {@code i} spent in this phase. */
  public long nanos(int i, Phase phase) {
    return rows[i * STRIDE + phase.ordinal()];
  }

  /** Whether attempt {@code i} reached the HTTP client (false: it ended while it waited). */
  public boolean sent(int i) {
    return rows[i * STRIDE + SENT] != 0;
  }

  private void close(long now) {
    if (open != null && count > 0) {
      rows[(count - 1) * STRIDE + open.ordinal()] += now - since;
    }
    open = null;
  }

  private void row(long start) {
    if (rows == null) {
      rows = new long[STRIDE];
    } else if ((count + 1) * STRIDE > rows.length) {
      rows = Arrays.copyOf(rows, rows.length * 2);
    }
    rows[count * STRIDE + START] = start;
    count++;
  }
}
