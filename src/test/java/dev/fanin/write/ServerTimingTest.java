package dev.fanin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Server-Timing stays bounded: the slowest 20 sources in completion order, then the total. */
class ServerTimingTest {
  @Test
  void fewSourcesAreAllListedInCompletionOrder() {
    ServerTiming t = new ServerTiming();
    t.add("b", 12);
    t.add("a", 30);
    assertEquals("b;dur=12, a;dur=30, total;dur=42", t.header(42));
  }

  @Test
  void aThousandSourcesKeepTheSlowestTwentyAndFitAProxysHeaderLimit() {
    ServerTiming t = new ServerTiming();
    for (int i = 0; i < 1000; i++) {
      // latencies rise and fall, so the slowest are spread over the completion order
      t.add("source-with-a-long-id-" + i, (i * 7919L) % 1000);
    }
    String header = t.header(1234);
    String[] entries = header.split(", ");
    assertEquals(ServerTiming.MAX_ENTRIES + 1, entries.length, header);
    assertEquals("total;dur=1234", entries[entries.length - 1]);
    int lastIndex = -1;
    for (int e = 0; e < entries.length - 1; e++) {
      String entry = entries[e];
      long dur = Long.parseLong(entry.substring(entry.indexOf("dur=") + 4));
      assertTrue(dur >= 980, entry);
      int index = Integer.parseInt(entry.substring("source-with-a-long-id-".length(), entry.indexOf(';')));
      assertTrue(index > lastIndex, "completion order: " + header);
      lastIndex = index;
    }
    assertTrue(header.length() < 1024, header.length() + " bytes");
  }
}
