package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON of a scheduled run: the aggregate document, then "feed" and "runAt", on one line. */
class ScheduledRunsTest {
  @Test
  void aRunIsTheAggregateWithItsFeedAndTimeAfterItsFields() {
    Buffer aggregate = Buffer.buffer("{\"complete\":true,\"durationMs\":5,\"results\":{\"a\":{\"data\":1}},\"items\":[]}");
    JsonObject run = new JsonObject(ScheduledRuns.runJson(aggregate, "quotes", "2024-01-01T00:00:00Z"));
    assertEquals(List.of("complete", "durationMs", "results", "items", "feed", "runAt"), List.copyOf(run.fieldNames()));
    assertEquals(new JsonObject(aggregate).put("feed", "quotes").put("runAt", "2024-01-01T00:00:00Z"), run);
  }

  @Test
  void lineBreaksOfUpstreamJsonAreDroppedSoTheRunIsOneSseDataLine() {
    Buffer aggregate = Buffer.buffer("{\"complete\":true,\"results\":{\"a\":{\"data\":{\r\n  \"text\": \"a\\nb\",\n  \"n\": 1\n}}}}");
    Buffer run = ScheduledRuns.runJson(aggregate, "f", "2024-01-01T00:00:00Z");
    assertFalse(run.toString().contains("\n") || run.toString().contains("\r"), run.toString());
    assertEquals(new JsonObject(aggregate).put("feed", "f").put("runAt", "2024-01-01T00:00:00Z"), new JsonObject(run));
    assertEquals("a\nb", new JsonObject(run).getJsonObject("results").getJsonObject("a").getJsonObject("data")
        .getString("text"), "an escaped line break inside a string stays");
  }
}
