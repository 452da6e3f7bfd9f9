package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.RecordedTimings;
import dev.fanin.fetch.Timings;
import dev.fanin.fetch.Timings.Phase;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The --report file: self-contained, with the wall time against the sum of latencies and the waterfall. */
class ReportTest {
  /** Nothing to fetch when it is opened: no scripts, links, images or imports. */
  private static final Pattern EXTERNAL = Pattern.compile("(src|href)\\s*=|<script|<link|@import|url\\(");

  private static Report.Figures figures(long wallMs, Waterfall.Shown shown) {
    return new Report.Figures("urls<1>.txt", wallMs, 500_000, 9_990, 10, 3, 0, 0, 100, false, shown);
  }

  @Test
  void oneSelfContainedFileWithTheTimingPicture() {
    Report.Figures f = figures(5_000, Waterfall.Shown.NONE);
    assertEquals(100.0, f.speedUp());
    String html = Report.html(f);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("100.0× faster"), html);
    assertTrue(html.contains("wall time 5000 ms") && html.contains("sum of latencies 500.0 s"), html);
    assertTrue(html.contains("urls&lt;1&gt;.txt") && !html.contains("urls<1>"), html);
    assertTrue(html.contains("<svg") && html.contains("<style>"), html);
    assertFalse(EXTERNAL.matcher(html).find(), html);
    assertFalse(html.contains("class=\"wf\"") || html.contains("legend\""), "no source ran: no waterfall");
  }

  @Test
  void theWaterfallDrawsTheSlowest500Of2000PhaseByPhase() {
    Timings t = RecordedTimings.of("upstream", 2, Phase.ORIGIN, Phase.CONNECT, Phase.HEAD, Phase.BODY,
        Phase.BACKOFF);
    int nonZero = 0;
    for (int i = 0; i < t.attempts(); i++) {
      for (Phase p : Phase.values()) {
        nonZero += t.nanos(i, p) > 0 ? 1 : 0;
      }
    }
    Waterfall waterfall = new Waterfall();
    for (int i = 0; i < 2000; i++) {
      waterfall.add(WaterfallTest.result(i == 1999 ? "<b>&\"slow\"" : "s" + i, i, i, null, t));
    }
    String html = Report.html(figures(4_000, waterfall.shown()));

    assertTrue(html.contains("The slowest 500 of this run's 2000 sources are shown"), html);
    List<String> rows = rows(html);
    assertEquals(500, rows.size());
    for (String row : rows) {
      assertEquals(nonZero, count(row, "<rect "), row);
      for (Phase p : List.of(Phase.ORIGIN, Phase.CONNECT, Phase.HEAD, Phase.BODY, Phase.BACKOFF)) {
        assertTrue(row.contains("<rect class=\"p-" + p.name().toLowerCase() + "\""), row);
      }
    }
    assertTrue(rows.get(0).contains(">s1500</text>"), "the fastest kept starts first: " + rows.get(0));
    assertTrue(html.contains("&lt;b&gt;&amp;&quot;slow&quot;") && !html.contains("<b>&"), "ids are escaped");
    for (Phase p : Phase.values()) {
      assertTrue(html.contains("<rect class=\"p-" + p.name().toLowerCase() + "\" width=\"12\""), "legend " + p);
    }
    assertTrue(html.contains("wait: origin") && html.contains("backoff</span>"), html);
    assertTrue(html.contains(">0 s</text>") && html.contains(">4 s</text>"), "the axis's ticks, in s");
    assertFalse(EXTERNAL.matcher(html).find(), "still self-contained");
    assertTrue(html.length() < 1_000_000, "a sane size: " + html.length());
  }

  @Test
  void failuresShowTheirKindAndAnswersNotFetchedTheirMark() {
    double[] oneAttempt = {10, 0, 0, 5, 0, 20, 100, 15, 0}; // start, slot … backoff
    Waterfall.Shown shown = new Waterfall.Shown(List.of(
        new Waterfall.Row("ok", null, "upstream", 10, 140, oneAttempt, 0),
        new Waterfall.Row("late", ErrorKind.TIMEOUT.wireName(), "upstream", 12, 900, oneAttempt, 1),
        new Waterfall.Row("hit", null, "cache", 30, 0, new double[0], 2),
        new Waterfall.Row("joined", null, "coalesced", 31, 120, new double[0], 3)), 4);
    String html = Report.html(figures(1_000, shown));
    List<String> rows = rows(html);
    assertEquals(4, rows.size());
    assertTrue(html.contains("This run's 4 sources") && !html.contains("slowest"), html);
    assertEquals(4, count(rows.get(0), "<rect "), "a rect per phase that took time");
    assertFalse(rows.get(0).contains("class=\"err\"") || rows.get(0).contains("<circle"));
    assertTrue(rows.get(1).contains("class=\"err\"") && rows.get(1).contains(">timeout</text>"), rows.get(1));
    assertTrue(rows.get(2).contains("<circle class=\"mark\"") && rows.get(2).contains(">cache</text>"), rows.get(2));
    assertTrue(rows.get(3).contains("<circle class=\"mark\"") && rows.get(3).contains(">coalesced</text>")
        && rows.get(3).contains("<line class=\"span\""), rows.get(3));
    assertEquals(0, count(rows.get(3), "<rect "));
    assertTrue(html.contains(">1000 ms</text>") || html.contains(">800 ms</text>"), "ticks in ms: " + html);
  }

  private static List<String> rows(String html) {
    Matcher m = Pattern.compile("<g class=\"row\">.*?</g>").matcher(html);
    return m.results().map(r -> r.group()).toList();
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
