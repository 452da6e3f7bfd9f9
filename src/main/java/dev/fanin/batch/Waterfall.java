package dev.fanin.batch;

import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.Timings;
import dev.fanin.fetch.Timings.Phase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The sources the report's waterfall draws: of a run's results, however many, the {@value #LIMIT}
 * with the largest latency (of equal latencies, the earlier), each copied out as a small {@link Row}
 * so that neither the result nor its data stays reachable. A URL list may hold a million sources;
 * this holds 500 rows whatever the run's size, and a result no slower than the fastest row kept
 * costs one comparison (its row is only made when it gets in).
 *
 * <p>Results all arrive on the run's event loop (an aggregation delivers on its own loop, and an
 * exchange sent from another lane comes back to it first), but the report is made on another
 * thread: the output's writer once the summary is written, or the shutdown hook of an interrupted
 * run while results may still arrive. Hence the lock, uncontended but for that last read.
 */
final class Waterfall {
  /** Rows a report draws at most: 500 rows of a few rects stay a file of a few hundred KB. */
  static final int LIMIT = 500;
  /** The row to drop first: the fastest, and of equal latencies the later, so that ties keep the earlier. */
  private static final Comparator<Row> DROP_FIRST = Comparator.comparingLong(Row::latencyMs)
      .thenComparing(Comparator.comparingLong(Row::order).reversed());
  /** How the report lists them: by when the source started. */
  private static final Comparator<Row> BY_START = Comparator.comparingDouble(Row::firstStartMs)
      .thenComparingLong(Row::order);

  private final int limit;
  private final PriorityQueue<Row> slowest;
  private long seen;

  Waterfall() {
    this(LIMIT);
  }

  Waterfall(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
    this.limit = limit;
    this.slowest = new PriorityQueue<>(limit, DROP_FIRST);
  }

  /** Counts a result, and keeps its row when it is one of the slowest so far. */
  synchronized void add(SourceResult result) {
    long order = seen++;
    if (slowest.size() == limit) {
      if (result.latencyMs() <= slowest.peek().latencyMs()) {
        return;
      }
      slowest.poll();
    }
    slowest.add(Row.of(result, order));
  }

  /** The rows kept, by start, and how many results were counted. */
  synchronized Shown shown() {
    List<Row> rows = new ArrayList<>(slowest);
    rows.sort(BY_START);
    return new Shown(List.copyOf(rows), seen);
  }

  /**
   * What the report draws.
   *
   * @param rows the sources kept, by when they started
   * @param seen the results counted, kept or not
   */
  record Shown(List<Row> rows, long seen) {
    static final Shown NONE = new Shown(List.of(), 0);

    /** Whether some results were left out (only the slowest are shown). */
    boolean partial() {
      return seen > rows.size();
    }
  }

  /**
   * One source as the waterfall draws it, in ms: its id, how it ended, where its answer came from,
   * and per attempt its start and its phases (the numbers of its {@link Timings}, copied).
   */
  static final class Row {
    private static final Phase[] PHASES = Phase.values();
    /** Per attempt: its start, then one number per phase. */
    static final int STRIDE = 1 + PHASES.length;
    private static final double NS_PER_MS = 1_000_000.0;

    private final String id;
    private final String error;
    private final String from;
    private final long startMs;
    private final long latencyMs;
    private final double[] attempts;
    private final long order;

    /**
     * @param error the error kind's wire name, null when ok
     * @param from upstream, cache or coalesced
     * @param startMs when the source started (its result's startMs)
     * @param attempts per attempt {@link #STRIDE} numbers: its start, then its ms per phase in
     *     {@link Phase} order (copied)
     * @param order the result's place in the run: ties go to the earlier
     */
    Row(String id, String error, String from, long startMs, long latencyMs, double[] attempts, long order) {
      if (attempts.length % STRIDE != 0) {
        throw new IllegalArgumentException("attempts of " + STRIDE + " numbers each: " + attempts.length);
      }
      this.id = id;
      this.error = error;
      this.from = from;
      this.startMs = startMs;
      this.latencyMs = latencyMs;
      this.attempts = attempts.clone();
      this.order = order;
    }

    static Row of(SourceResult result, long order) {
      Timings t = result.timings();
      int n = t == null ? 0 : t.attempts();
      double[] numbers = new double[n * STRIDE];
      for (int i = 0; i < n; i++) {
        numbers[i * STRIDE] = t.startNanos(i) / NS_PER_MS;
        for (Phase p : PHASES) {
          numbers[i * STRIDE + 1 + p.ordinal()] = t.nanos(i, p) / NS_PER_MS;
        }
      }
      return new Row(result.id(), result.ok() ? null : result.errorKind().wireName(),
          t == null || t.from() == null ? "upstream" : t.from(), result.startMs(), result.latencyMs(), numbers, order);
    }

    String id() {
      return id;
    }

    /** The error kind's wire name, null when the source was ok. */
    String error() {
      return error;
    }

    String from() {
      return from;
    }

    long startMs() {
      return startMs;
    }

    long latencyMs() {
      return latencyMs;
    }

    long order() {
      return order;
    }

    int attempts() {
      return attempts.length / STRIDE;
    }

    /** When attempt {@code i} began, in ms from the run's start. */
    double startMs(int i) {
      return attempts[i * STRIDE];
    }

    /** The ms attempt {@code i} spent in this phase. */
    double ms(int i, Phase phase) {
      return attempts[i * STRIDE + 1 + phase.ordinal()];
    }

    /** When the first attempt began; without attempts (a cache hit, a coalesced request), the result's start. */
    double firstStartMs() {
      return attempts() > 0 ? startMs(0) : startMs;
    }

    /** Where the row's drawing ends: its latency, or its last attempt's phases when they reach further. */
    double endMs() {
      double end = startMs + latencyMs;
      for (int i = 0; i < attempts(); i++) {
        double at = startMs(i);
        for (Phase p : PHASES) {
          at += ms(i, p);
        }
        end = Math.max(end, at);
      }
      return end;
    }
  }
}
