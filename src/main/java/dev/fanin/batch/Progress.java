package dev.fanin.batch;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The run's progress on standard error, never on the output: a bar redrawn in place when standard
 * error is a terminal (bar), a plain line every 10 s otherwise, for cron's logs (plain), or nothing.
 * A thread of its own reads the latest {@link Snapshot}, so a slow standard error never holds the
 * run; the last state is printed once more at the end.
 */
final class Progress {
  static final long BAR_EVERY_MS = 250;
  static final long PLAIN_EVERY_MS = 10_000;
  private static final int WIDTH = 24;
  private final ProgressMode mode;
  private final PrintStream err;
  private final Supplier<Snapshot> state;
  private final long everyMs;
  private Thread thread;
  private volatile boolean stopped;

  /** @param mode bar, plain or none (auto already decided) */
  Progress(ProgressMode mode, PrintStream err, Supplier<Snapshot> state, long everyMs) {
    this.mode = mode;
    this.err = err;
    this.state = state;
    this.everyMs = everyMs;
  }

  /** What auto means here: a bar on a terminal, plain lines otherwise. */
  static ProgressMode decide(ProgressMode asked, boolean stderrIsTerminal) {
    if (asked != ProgressMode.AUTO) {
      return asked;
    }
    return stderrIsTerminal ? ProgressMode.BAR : ProgressMode.PLAIN;
  }

  static Progress of(ProgressMode mode, PrintStream err, Supplier<Snapshot> state) {
    return new Progress(mode, err, state, mode == ProgressMode.BAR ? BAR_EVERY_MS : PLAIN_EVERY_MS);
  }

  void start() {
    if (mode == ProgressMode.NONE) {
      return;
    }
    thread = new Thread(() -> {
      try {
        while (!stopped) {
          Thread.sleep(everyMs);
          if (!stopped) {
            print(state.get(), "");
          }
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }, "fanin-run-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops redrawing and prints the final state (a bar ends its line). */
  void finish(Snapshot last, boolean interrupted) {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (mode != ProgressMode.NONE) {
      print(last, interrupted ? "interrupted " : "finished ");
    }
  }

  /** @param end "finished " or "interrupted " for the last print, else "" */
  private synchronized void print(Snapshot s, String end) {
    if (mode == ProgressMode.BAR) {
      // \r and "erase to the end of the line": the bar is redrawn in place
      err.print("\r" + bar(s) + "\033[K" + (end.isEmpty() ? "" : "\n"));
    } else {
      err.println("fanin run: " + end + line(s));
    }
    err.flush();
  }

  static String bar(Snapshot s) {
    int filled = s.total() <= 0 ? 0 : (int) Math.min(WIDTH, s.done() * WIDTH / s.total());
    return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + counts(s) + rateAndEta(s) + slow(s);
  }

  static String line(Snapshot s) {
    return counts(s) + rateAndEta(s) + slow(s);
  }

  private static String counts(Snapshot s) {
    StringBuilder b = new StringBuilder()
        .append(s.done()).append('/').append(s.total())
        .append(", ok ").append(s.ok()).append(", failed ").append(s.failed());
    if (s.duplicates() > 0) {
      b.append(", duplicates ").append(s.duplicates());
    }
    if (s.resumed() > 0) {
      b.append(", resumed ").append(s.resumed());
    }
    return b.toString();
  }

  private static String rateAndEta(Snapshot s) {
    double seconds = s.elapsedMs() / 1000.0;
    double rate = seconds > 0 ? s.fetchedNow() / seconds : 0;
    String out = String.format(Locale.ROOT, ", %.0f/s, %s", rate, duration(s.elapsedMs()));
    long left = s.total() - s.done();
    if (left > 0 && rate > 0) {
      out += ", ETA " + duration((long) (left / rate * 1000));
    }
    return out;
  }

  private static String slow(Snapshot s) {
    return s.slowOrigin() == null ? "" : ", waiting on " + s.slowOrigin() + " (" + s.slowOriginSources() + ")";
  }

  static String duration(long ms) {
    long seconds = ms / 1000;
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
    }
    return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", seconds / 60 % 60) + "m";
  }
}
