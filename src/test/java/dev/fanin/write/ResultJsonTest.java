package dev.fanin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.aggregate.SourceData;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.Results;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Results written straight into bytes: upstream JSON spliced in as it came, everything else escaped. */
class ResultJsonTest {
  static JsonObject encode(SourceResult r) {
    return new JsonObject(ResultJson.append(ResultJson.sized(r), r, null));
  }

  @Test
  void anOkResultCarriesItsFieldsAndItsUpstreamJsonAsItCame() {
    SourceResult r = Results.ok("a", "{ \"n\" : 1 }");
    String text = ResultJson.append(Buffer.buffer(), r, null).toString();
    assertTrue(text.contains("\"data\":{ \"n\" : 1 }"), "the body was re-encoded: " + text);
    JsonObject json = new JsonObject(text);
    assertEquals(Set.of("id", "status", "httpStatus", "latencyMs", "startMs", "attempts", "data", "cache", "ageMs",
        "fetchedAt", "timings"), json.fieldNames());
    assertEquals("a", json.getString("id"));
    assertEquals("ok", json.getString("status"));
    assertEquals(200, json.getInteger("httpStatus"));
    assertEquals(12, json.getLong("latencyMs"));
    assertEquals(3, json.getLong("startMs"));
    assertEquals(1, json.getInteger("attempts"));
    assertEquals(1, json.getJsonObject("data").getInteger("n"));
    assertEquals("miss", json.getString("cache"));
    assertEquals(0, json.getLong("ageMs"));
    assertEquals("2023-11-14T22:13:20Z", json.getString("fetchedAt"));
    assertEquals(new JsonObject().put("from", "upstream").put("attempts", new JsonArray()), json.getJsonObject("timings"));
  }

  @Test
  void aTextBodyBecomesAnEscapedJsonString() {
    String text = "line one\nsays \"hi\" \\ \u0001 é 𝄞";
    JsonObject json = encode(Results.result("t", 200, new SourceData.Text(text), null, null, List.of()));
    assertEquals(text, json.getString("data"));
  }

  @Test
  void aFailedResultCarriesItsErrorAndNoStatusWhenNoAnswerCame() {
    JsonObject json = encode(Results.failed("b", ErrorKind.TIMEOUT, "no answer within \"100\" ms"));
    assertEquals("error", json.getString("status"));
    assertTrue(json.containsKey("httpStatus"));
    assertNull(json.getValue("httpStatus"));
    assertNull(json.getValue("data"));
    assertEquals(new JsonObject().put("kind", "timeout").put("message", "no answer within \"100\" ms"),
        json.getJsonObject("error"));
  }

  @Test
  void notesAreListedOnlyWhenThereAreSome() {
    JsonObject noted = encode(Results.result("n", 200, null, null, null, List.of("stopped after 5 redirects", "\"x\"")));
    assertEquals(new JsonArray().add("stopped after 5 redirects").add("\"x\""), noted.getJsonArray("notes"));
    assertFalse(encode(Results.ok("a", "1")).containsKey("notes"));
  }

  @Test
  void aTypeIsWrittenFirstWhenAskedFor() {
    String line = ResultJson.append(Buffer.buffer(), Results.ok("a", "1"), "result").toString();
    assertTrue(line.startsWith("{\"type\":\"result\",\"id\":\"a\""), line);
  }

  @Test
  void theSummaryCountsAndCarriesTheMergedTimelineWhenThereIsOne() {
    JsonObject plain = new JsonObject(ResultJson.summary(Results.summary(3, 1, null)));
    assertEquals(new JsonObject().put("type", "summary").put("complete", false).put("durationMs", 42).put("ok", 3)
        .put("failed", 1), plain);
    JsonArray items = new JsonArray().add(new JsonObject().put("id", "i1").put("source", "a"));
    JsonObject merged = new JsonObject(ResultJson.summary(Results.summary(1, 0, items)));
    assertEquals(items, merged.getJsonArray("items"));
  }
}
