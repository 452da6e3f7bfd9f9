package dev.fanin.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The run's timing picture as one self-contained HTML file (--report): inline CSS and SVG, nothing
 * fetched when it is opened. Wall time against the sum of the sources' latencies (what fetching
 * them one after another would have cost), and the speed-up.
 *
 * <p>The per-source waterfall belongs to the timings issue: it goes in {@link #waterfall}, which
 * writes nothing until then (the results' startMs and latencyMs are what it will draw).
 */
final class Report {
  private Report() {}

  /** What the report shows. */
  record Figures(String input, long wallMs, long sumLatencyMs, long ok, long failed, long duplicates, long resumed,
      long notStarted, int concurrency, boolean interrupted) {

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

  /** The hook for the per-source waterfall of the timings issue: nothing yet. */
  static void waterfall(StringBuilder b, Figures f) {
    // intentionally empty until per-source timings land
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
  }

  static String ms(long ms) {
    return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
