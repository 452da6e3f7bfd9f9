package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The --report file: self-contained, with the wall time against the sum of latencies. */
class ReportTest {
  @Test
  void oneSelfContainedFileWithTheTimingPicture() {
    Report.Figures f = new Report.Figures("urls<1>.txt", 5_000, 500_000, 9_990, 10, 3, 0, 0, 100, false);
    assertEquals(100.0, f.speedUp());
    String html = Report.html(f);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("100.0× faster"), html);
    assertTrue(html.contains("wall time 5000 ms") && html.contains("sum of latencies 500.0 s"), html);
    assertTrue(html.contains("urls&lt;1&gt;.txt") && !html.contains("urls<1>"), html);
    assertTrue(html.contains("<svg") && html.contains("<style>"), html);
    // nothing to fetch when it is opened: no scripts, links, images or imports
    assertFalse(Pattern.compile("(src|href)\\s*=|<script|<link|@import|url\\(").matcher(html).find(), html);
  }
}
