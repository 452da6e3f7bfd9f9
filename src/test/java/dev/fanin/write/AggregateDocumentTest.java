package dev.fanin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.Results;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole-aggregate document: results keyed by id in definition order, whatever order they came in. */
class AggregateDocumentTest {
  @Test
  void resultsAppearInDefinitionOrderWhateverOrderTheyArriveIn() {
    AggregateDocument document = new AggregateDocument(3);
    document.onResult(2, Results.ok("c", "3"));
    document.onResult(0, Results.ok("a", "1"));
    document.onResult(1, Results.failed("b", ErrorKind.CONNECT, "refused"));
    JsonObject json = new JsonObject(document.encode(Results.summary(2, 1, null)));
    assertEquals(List.of("complete", "durationMs", "results"), List.copyOf(json.fieldNames()));
    assertFalse(json.getBoolean("complete"));
    assertEquals(42, json.getLong("durationMs"));
    JsonObject results = json.getJsonObject("results");
    assertEquals(List.of("a", "b", "c"), List.copyOf(results.fieldNames()));
    assertEquals(3, results.getJsonObject("c").getInteger("data"));
    assertEquals("connect", results.getJsonObject("b").getJsonObject("error").getString("kind"));
    assertFalse(results.getJsonObject("a").containsKey("type"), "a result in the document has no type");
  }

  @Test
  void theMergedTimelineFollowsTheResults() {
    AggregateDocument document = new AggregateDocument(1);
    document.onResult(0, Results.ok("a", "{}"));
    JsonArray items = new JsonArray().add(new JsonObject().put("title", "t").put("source", "a"));
    JsonObject json = new JsonObject(document.encode(Results.summary(1, 0, items)));
    assertEquals(List.of("complete", "durationMs", "results", "items"), List.copyOf(json.fieldNames()));
    assertEquals(items, json.getJsonArray("items"));
  }

  @Test
  void noSourcesMakeAnEmptyDocument() {
    JsonObject json = new JsonObject(new AggregateDocument(0).encode(Results.summary(0, 0, null)));
    assertEquals(new JsonObject(), json.getJsonObject("results"));
  }
}
