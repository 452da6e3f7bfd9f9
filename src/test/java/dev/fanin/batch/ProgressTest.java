package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Progress on standard error: what auto means on a terminal and off one (the end-to-end test runs
 * the command on a pseudo-terminal too), and what a bar and a plain line say.
 */
class ProgressTest {
  static final Snapshot HALF = new Snapshot(1000, 500, 480, 10, 5, 5, 490, 10_000, "api.example:443", 42);

  @Test
  void autoIsABarOnATerminalAndPlainLinesElsewhere() {
    assertEquals(ProgressMode.BAR, Progress.decide(ProgressMode.AUTO, true));
    assertEquals(ProgressMode.PLAIN, Progress.decide(ProgressMode.AUTO, false));
    assertEquals(ProgressMode.NONE, Progress.decide(ProgressMode.NONE, true));
    assertEquals(ProgressMode.BAR, Progress.decide(ProgressMode.BAR, false));
    assertEquals(ProgressMode.PLAIN, Progress.decide(ProgressMode.PLAIN, true));
  }

  @Test
  void theBarSaysDoneTotalOkFailedRateEtaAndTheOriginHoldingThingsUp() {
    String bar = Progress.bar(HALF);
    assertTrue(bar.startsWith("[############............] 500/1000, ok 480, failed 10, duplicates 5, resumed 5, 49/s, 10.0s, ETA 10.2s"), bar);
    assertTrue(bar.endsWith("waiting on api.example:443 (42)"), bar);
    assertEquals("1m05s", Progress.duration(65_000));
    assertEquals("2h03m", Progress.duration(7_380_000));
  }

  @Test
  void aBarIsRedrawnInPlaceAndPlainLinesAreLines() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Progress bar = new Progress(ProgressMode.BAR, err, () -> HALF, 20);
    bar.start();
    Thread.sleep(100);
    bar.finish(HALF, false);
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.startsWith("\r[") && drawn.contains("\033[K") && drawn.endsWith("\n"), drawn);
    bytes.reset();
    Progress plain = new Progress(ProgressMode.PLAIN, err, () -> HALF, 20);
    plain.start();
    Thread.sleep(100);
    plain.finish(HALF, true);
    String lines = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(lines.contains("\r"), lines);
    assertTrue(lines.startsWith("fanin run: 500/1000, ok 480"), lines);
    assertTrue(lines.endsWith("fanin run: interrupted 500/1000, ok 480, failed 10, duplicates 5, resumed 5, 49/s,"
        + " 10.0s, ETA 10.2s, waiting on api.example:443 (42)\n"), lines);
    bytes.reset();
    Progress none = new Progress(ProgressMode.NONE, err, () -> HALF, 20);
    none.start();
    none.finish(HALF, false);
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }
}
