package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.RecordedTimings;
import dev.fanin.fetch.Timings;
import dev.fanin.fetch.Timings.Phase;
import dev.fanin.testing.Results;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The report's waterfall keeps the slowest sources of a run of any size, as rows of numbers. */
class WaterfallTest {
  static SourceResult result(String id, long startMs, long latencyMs, ErrorKind kind, Timings timings) {
    return new SourceResult(id, false, kind == null ? 200 : 0, latencyMs, startMs, timings.attempts(), null, kind,
        kind == null ? null : kind.wireName(), Results.FETCHED_AT, List.of(), List.of(), "miss", 0, timings);
  }

  @Test
  void keepsThe500SlowestOf2000AndCountsThemAll() {
    Random random = new Random(15);
    Waterfall waterfall = new Waterfall();
    List<SourceResult> fed = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      // few distinct latencies: many ties at the cut
      SourceResult r = result("s" + i, random.nextInt(10_000), random.nextInt(300), null, Timings.none());
      fed.add(r);
      waterfall.add(r);
    }
    List<SourceResult> slowestFirst = new ArrayList<>(fed); // a stable sort: of equal latencies, the earlier first
    slowestFirst.sort(Comparator.comparingLong(SourceResult::latencyMs).reversed());
    Set<String> expected = slowestFirst.subList(0, 500).stream().map(SourceResult::id).collect(Collectors.toSet());

    Waterfall.Shown shown = waterfall.shown();
    assertEquals(2000, shown.seen());
    assertTrue(shown.partial());
    assertEquals(500, shown.rows().size());
    assertEquals(expected, shown.rows().stream().map(Waterfall.Row::id).collect(Collectors.toSet()));
    for (int i = 1; i < shown.rows().size(); i++) {
      assertTrue(shown.rows().get(i - 1).firstStartMs() <= shown.rows().get(i).firstStartMs(), "by start");
    }
  }

  @Test
  void ofEqualLatenciesTheEarlierStay() {
    Waterfall waterfall = new Waterfall(2);
    waterfall.add(result("a", 0, 5, null, Timings.none()));
    waterfall.add(result("b", 1, 5, null, Timings.none()));
    waterfall.add(result("c", 2, 5, null, Timings.none()));
    waterfall.add(result("d", 3, 4, null, Timings.none()));
    assertEquals(List.of("a", "b"), waterfall.shown().rows().stream().map(Waterfall.Row::id).toList());
    waterfall.add(result("e", 4, 6, null, Timings.none()));
    assertEquals(List.of("a", "e"), waterfall.shown().rows().stream().map(Waterfall.Row::id).toList(),
        "the later of the two fastest made room");
    assertEquals(5, waterfall.shown().seen());
    assertThrows(IllegalArgumentException.class, () -> new Waterfall(0));
  }

  @Test
  void aRunWithFewSourcesShowsThemAll() {
    Waterfall waterfall = new Waterfall();
    assertTrue(waterfall.shown().rows().isEmpty());
    waterfall.add(result("only", 0, 5, null, Timings.none()));
    assertFalse(waterfall.shown().partial());
    assertEquals(1, waterfall.shown().seen());
  }

  @Test
  void aRowCopiesTheNumbersOfTheTimings() {
    Timings t = RecordedTimings.of("upstream", 2, Phase.ORIGIN, Phase.CONNECT, Phase.HEAD, Phase.BODY,
        Phase.BACKOFF);
    Waterfall.Row row = Waterfall.Row.of(result("x", 3, 20, ErrorKind.TIMEOUT, t), 7);
    assertEquals("x", row.id());
    assertEquals("timeout", row.error());
    assertEquals("upstream", row.from());
    assertEquals(20, row.latencyMs());
    assertEquals(7, row.order());
    assertEquals(2, row.attempts());
    for (int i = 0; i < 2; i++) {
      assertEquals(t.startNanos(i) / 1e6, row.startMs(i), 1e-9);
      for (Phase p : Phase.values()) {
        assertEquals(t.nanos(i, p) / 1e6, row.ms(i, p), 1e-9, p.name());
      }
      assertTrue(row.ms(i, Phase.HEAD) >= 1 && row.ms(i, Phase.SLOT) == 0);
    }
    assertEquals(row.startMs(0), row.firstStartMs());
    assertTrue(row.endMs() >= row.startMs(1) + row.ms(1, Phase.BODY));

    Waterfall.Row hit = Waterfall.Row.of(result("h", 40, 0, null, RecordedTimings.of("cache", 0)), 8);
    assertEquals("cache", hit.from());
    assertNull(hit.error());
    assertEquals(0, hit.attempts());
    assertEquals(40, hit.firstStartMs(), "without attempts: the result's start");
  }
}
