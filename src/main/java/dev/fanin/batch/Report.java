package dev.fanin.batch;

import dev.fanin.fetch.Timings.Phase;
import dev.fanin.write.HtmlEscape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The run's timing picture as one self-contained HTML file (--report): inline CSS and SVG, nothing
 * fetched when it is opened. Wall time against the sum of the sources' latencies (what fetching
 * them one after another would have cost), and the speed-up; then the per-source waterfall: the
 * slowest sources of this run (see {@link Waterfall}), one row each, their attempts drawn phase by
 * phase on the run's time axis, so that where the time went (waiting for a slot or an origin's
 * turn, connecting, the upstream answering, backing off) shows at a glance.
 *
 * <p>The waterfall is one SVG of at most {@value Waterfall#LIMIT} rows whose colours come from
 * classes in the page's CSS, so that the file stays a few hundred KB whatever the run's size.
 */
final class Report {
  // the waterfall's geometry, in px: the ids' column, the time axis, room for a row's note
  private static final int LABEL_WIDTH = 190;
  private static final int PLOT_WIDTH = 520;
  private static final int NOTE_WIDTH = 90;
  private static final int AXIS_HEIGHT = 18;
  private static final int ROW_HEIGHT = 14;
  /** What of an id fits the ids' column at 11 px. */
  private static final int ID_CHARS = 28;
  private static final Phase[] PHASES = Phase.values();

  private Report() {}

  /**
   * What the report shows.
   *
   * @param waterfall the sources the waterfall draws ({@link Waterfall.Shown#NONE}: none)
   */
  record Figures(String input, long wallMs, long sumLatencyMs, long ok, long failed, long duplicates, long resumed,
      long notStarted, int concurrency, boolean interrupted, Waterfall.Shown waterfall) {

    /** How many times faster than one source after another; 0 when nothing was fetched. */
    double speedUp() {
      return wallMs <= 0 ? 0 : (double) sumLatencyMs / wallMs;
    }
  }

  static void write(Path file, Figures f) throws IOException {
    Files.writeString(file, html(f), StandardCharsets.UTF_8);
  }

  static String html(Figures f) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>fanin run: ").append(escape(f.input())).append("</title>\n")
        .append("<style>\n")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:56em;color:#222;padding:0 1em}\n")
        .append("h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}\n")
        .append("table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:right;border-bottom:1px solid #ddd}\n")
        .append("th{text-align:left;font-weight:normal;color:#555}\n")
        .append(".wall{fill:#2b7bb9}.sum{fill:#c8c8c8}.label{font-size:13px;fill:#222}\n")
        .append(".big{font-size:1.6em;font-weight:600}\n")
        .append(".wf text{font-size:11px;fill:#222}.wf .id{text-anchor:end}")
        .append(".wf .tick{fill:#777;text-anchor:middle}\n")
        .append(".wf .grid{stroke:#eee}.wf .span{stroke:#999;stroke-dasharray:2 2}.wf .err{fill:#b3261e}")
        .append(".wf .note{fill:#666}.mark{fill:#8e44ad}\n")
        .append(".p-slot{fill:#dde1e7}.p-budget{fill:#cbd1da}.p-origin{fill:#b6bec9}.p-pool{fill:#a2abb8}")
        .append(".p-connect{fill:#e8913a}.p-head{fill:#2b7bb9}.p-body{fill:#4caf50}")
        .append(".p-backoff{fill:#fbe9e9;stroke:#e3a6a6;stroke-width:.5}\n")
        .append(".legend span{margin-right:1.2em;white-space:nowrap}.legend .err{color:#b3261e}")
        .append(".legend svg{vertical-align:-1px;margin-right:.3em}\n")
        .append("</style></head><body>\n");
    b.append("<h1>fanin run: ").append(escape(f.input())).append("</h1>\n");
    if (f.interrupted()) {
      b.append("<p><strong>Interrupted:</strong> the figures cover the results written before the run was stopped.</p>\n");
    }
    b.append("<p class=\"big\">").append(String.format(Locale.ROOT, "%.1f", f.speedUp()))
        .append("× faster than one source after another</p>\n");
    b.append(chart(f));
    b.append("<table>\n");
    row(b, "wall time", ms(f.wallMs()));
    row(b, "sum of latencies", ms(f.sumLatencyMs()));
    row(b, "concurrency", Integer.toString(f.concurrency()));
    row(b, "ok", Long.toString(f.ok()));
    row(b, "failed", Long.toString(f.failed()));
    if (f.duplicates() > 0) {
      row(b, "duplicate URLs (fetched once)", Long.toString(f.duplicates()));
    }
    if (f.resumed() > 0) {
      row(b, "results kept from the checkpoint", Long.toString(f.resumed()));
    }
    if (f.notStarted() > 0) {
      row(b, "not started (deadline)", Long.toString(f.notStarted()));
    }
    b.append("</table>\n");
    waterfall(b, f);
    b.append("<p style=\"color:#777\">The sum of latencies counts every result in the output, ")
        .append("including those a resumed run kept; wall time is this run's.</p>\n");
    return b.append("</body></html>\n").toString();
  }

  /** Two bars on one scale: the wall time and the sum of latencies. */
  private static String chart(Figures f) {
    long max = Math.max(1, Math.max(f.wallMs(), f.sumLatencyMs()));
    int width = 600;
    int wall = (int) Math.max(1, f.wallMs() * width / max);
    int sum = (int) Math.max(1, f.sumLatencyMs() * width / max);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (width + 200) + "\" height=\"96\" role=\"img\""
        + " aria-label=\"wall time against the sum of latencies\">\n"
        + "<rect class=\"wall\" x=\"0\" y=\"8\" height=\"32\" width=\"" + wall + "\"/>\n"
        + "<text class=\"label\" x=\"" + (wall + 8) + "\" y=\"29\">wall time " + escape(ms(f.wallMs())) + "</text>\n"
        + "<rect class=\"sum\" x=\"0\" y=\"52\" height=\"32\" width=\"" + sum + "\"/>\n"
        + "<text class=\"label\" x=\"" + (sum + 8) + "\" y=\"73\">sum of latencies " + escape(ms(f.sumLatencyMs()))
        + "</text>\n</svg>\n";
  }

  /**
   * The per-source waterfall: one row per source kept (the slowest), by when it started, on an axis
   * from 0 to the wall time. An attempt's phases follow one another from its start, in the order
   * the pipeline passes them (the time between two phases that no stage counts is not drawn, so a
   * segment may start a little early); its backoff is the light segment after it. A source without
   * attempts (a cache hit, a coalesced request, a source refused before it waited) is a dashed line
   * over its latency. Nothing when no source ran.
   */
  static void waterfall(StringBuilder b, Figures f) {
    List<Waterfall.Row> rows = f.waterfall().rows();
    if (rows.isEmpty()) {
      return;
    }
    b.append("<h2>Sources</h2>\n<p>");
    if (f.waterfall().partial()) {
      b.append("The slowest ").append(rows.size()).append(" of this run's ").append(f.waterfall().seen())
          .append(" sources are shown");
    } else {
      b.append("This run's ").append(rows.size()).append(rows.size() == 1 ? " source" : " sources");
    }
    b.append(", by when they started; each attempt's phases are its result's <code>timings</code>.</p>\n");
    legend(b);
    double axisMs = axisMs(f.wallMs(), rows);
    int height = AXIS_HEIGHT + rows.size() * ROW_HEIGHT + 4;
    b.append("<svg class=\"wf\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(LABEL_WIDTH + PLOT_WIDTH + NOTE_WIDTH).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"per-source waterfall\">\n");
    axis(b, axisMs, height);
    for (int i = 0; i < rows.size(); i++) {
      source(b, rows.get(i), AXIS_HEIGHT + i * ROW_HEIGHT, axisMs);
    }
    b.append("</svg>\n");
  }

  /** The colours: the waits in one grey family, then connecting, the head, the body, the backoff. */
  private static void legend(StringBuilder b) {
    b.append("<p class=\"legend\">");
    for (Phase p : PHASES) {
      String name = phaseClass(p).substring(2);
      b.append("<span><svg width=\"12\" height=\"10\"><rect class=\"").append(phaseClass(p))
          .append("\" width=\"12\" height=\"10\"/></svg>")
          .append(p.ordinal() <= Phase.POOL.ordinal() ? "wait: " + name : name).append("</span> ");
    }
    b.append("<span><svg width=\"10\" height=\"10\"><circle class=\"mark\" cx=\"5\" cy=\"5\" r=\"3.5\"/></svg>")
        .append("answered by the cache or another source's request</span> ")
        .append("<span class=\"err\">failed: its error kind</span></p>\n");
  }

  /** The time axis runs to the wall time, or further when an attempt drawn ends later. */
  private static double axisMs(long wallMs, List<Waterfall.Row> rows) {
    double end = Math.max(1, wallMs);
    for (Waterfall.Row row : rows) {
      end = Math.max(end, row.endMs());
    }
    return end;
  }

  private static void axis(StringBuilder b, double axisMs, int height) {
    long step = tickStep(axisMs);
    for (long t = 0; t <= axisMs; t += step) {
      String x = num(x(t, axisMs));
      b.append("<line class=\"grid\" x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"")
          .append(AXIS_HEIGHT - 4).append("\" y2=\"").append(height).append("\"/><text class=\"tick\" x=\"")
          .append(x).append("\" y=\"11\">").append(step >= 1000 ? t / 1000 + " s" : t + " ms").append("</text>\n");
    }
  }

  /** 1, 2 or 5 times a power of ten: at most 6 ticks. */
  private static long tickStep(double axisMs) {
    for (long power = 1; ; power *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (power * m * 5 >= axisMs) {
          return power * m;
        }
      }
    }
  }

  /** One source's row: its id, its attempts' phases, and what to note at its end. */
  private static void source(StringBuilder b, Waterfall.Row row, int top, double axisMs) {
    b.append("<g class=\"row\"><title>").append(escape(row.id())).append(": ").append(row.latencyMs())
        .append(" ms, ").append(row.attempts()).append(row.attempts() == 1 ? " attempt, " : " attempts, ")
        .append(row.from()).append(row.error() == null ? "" : ", " + row.error()).append("</title>");
    b.append("<text class=\"id\" x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(top + 11).append("\">")
        .append(escape(shortened(row.id()))).append("</text>");
    for (int i = 0; i < row.attempts(); i++) {
      attempt(b, row, i, top, axisMs);
    }
    double end = x(row.endMs(), axisMs);
    if (row.attempts() == 0) {
      b.append("<line class=\"span\" x1=\"").append(num(x(row.startMs(), axisMs))).append("\" x2=\"")
          .append(num(end)).append("\" y1=\"").append(top + 7).append("\" y2=\"").append(top + 7).append("\"/>");
    }
    note(b, row, top, end);
    b.append("</g>\n");
  }

  /** Its phases one after another from its start: a rect for each that took time (at least half a px). */
  private static void attempt(StringBuilder b, Waterfall.Row row, int i, int top, double axisMs) {
    double at = row.startMs(i);
    for (Phase p : PHASES) {
      double ms = row.ms(i, p);
      if (ms > 0) {
        double x = x(at, axisMs);
        b.append("<rect class=\"").append(phaseClass(p)).append("\" x=\"").append(num(x)).append("\" y=\"")
            .append(top + 2).append("\" width=\"").append(num(Math.max(0.5, x(at + ms, axisMs) - x)))
            .append("\" height=\"10\"/>");
      }
      at += ms;
    }
  }

  /** After the row: a mark when the answer was not fetched by the source itself, the error kind when it failed. */
  private static void note(StringBuilder b, Waterfall.Row row, int top, double end) {
    boolean answered = !"upstream".equals(row.from());
    double x = end + 4;
    if (answered) {
      b.append("<circle class=\"mark\" cx=\"").append(num(x)).append("\" cy=\"").append(top + 7)
          .append("\" r=\"3.5\"/>");
      x += 8;
    }
    String note = row.error() == null ? answered ? row.from() : null
        : answered ? row.error() + ", " + row.from() : row.error();
    if (note != null) {
      b.append("<text class=\"").append(row.error() == null ? "note" : "err").append("\" x=\"").append(num(x))
          .append("\" y=\"").append(top + 11).append("\">").append(escape(note)).append("</text>");
    }
  }

  private static String phaseClass(Phase p) {
    return "p-" + p.name().toLowerCase(Locale.ROOT);
  }

  private static double x(double ms, double axisMs) {
    return LABEL_WIDTH + ms * PLOT_WIDTH / axisMs;
  }

  /** Ids are up to 64 characters: the label keeps what fits, the row's title the whole. */
  private static String shortened(String id) {
    if (id.length() <= ID_CHARS) {
      return id;
    }
    int end = ID_CHARS - 1;
    if (Character.isHighSurrogate(id.charAt(end - 1))) {
      end--;
    }
    return id.substring(0, end) + "…";
  }

  /** One decimal at most: enough for a pixel, and short. */
  private static String num(double v) {
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : tenths / 10 + "." + tenths % 10;
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
  }

  static String ms(long ms) {
    return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  static String escape(String s) {
    return HtmlEscape.of(s);
  }
}
