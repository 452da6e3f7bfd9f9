package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** select and fields turn many quote APIs into one table; every result says when it was fetched. */
class ProjectionTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults();

  static String body(JsonObject json) {
    return "body=" + URLEncoder.encode(json.encode(), StandardCharsets.UTF_8);
  }

  @Test
  void fieldsProjectNamedValuesAndAMissingPointerGivesNullWithANote() {
    JsonObject coinbase = new JsonObject().put("data", new JsonObject().put("amount", "43000.1")
        .put("currency", "USD"));
    JsonObject other = new JsonObject().put("quote", new JsonObject().put("last", 188.2)
        .put("time", "2026-11-25T12:00:00Z"));
    JsonObject results = fixture.fanin().aggregate(definition(
        source("btc", fixture.upstream().url(body(coinbase))).put("fields",
            new JsonObject().put("price", "/data/amount").put("asOf", "/data/time")),
        source("aapl", fixture.upstream().url(body(other))).put("fields",
            new JsonObject().put("price", "/quote/last").put("asOf", "/quote/time"))))
        .bodyAsJsonObject().getJsonObject("results");
    JsonObject btc = results.getJsonObject("btc");
    assertEquals("ok", btc.getString("status"));
    assertEquals("43000.1", btc.getJsonObject("data").getString("price"));
    assertTrue(btc.getJsonObject("data").containsKey("asOf"));
    assertNull(btc.getJsonObject("data").getValue("asOf"));
    assertEquals(new JsonArray().add("field asOf: /data/time matched nothing"), btc.getJsonArray("notes"));
    JsonObject aapl = results.getJsonObject("aapl");
    assertEquals(188.2, aapl.getJsonObject("data").getDouble("price"));
    assertEquals("2026-11-25T12:00:00Z", aapl.getJsonObject("data").getString("asOf"));
    assertNull(aapl.getJsonArray("notes"));
  }

  @Test
  void selectPicksOneValueAndCombinesWithFields() {
    JsonObject doc = new JsonObject().put("data", new JsonArray()
        .add(new JsonObject().put("n", 1)).add(new JsonObject().put("n", 2).put("a/b", "slash")));
    JsonObject results = fixture.fanin().aggregate(definition(
        source("sel", fixture.upstream().url(body(doc))).put("select", "/data/1"),
        source("both", fixture.upstream().url(body(doc))).put("select", "/data/1").put("fields",
            new JsonObject().put("n", "/n").put("escaped", "/a~1b")),
        source("none", fixture.upstream().url(body(doc))).put("select", "/nope")))
        .bodyAsJsonObject().getJsonObject("results");
    assertEquals(2, results.getJsonObject("sel").getJsonObject("data").getInteger("n"));
    assertEquals("slash", results.getJsonObject("both").getJsonObject("data").getString("escaped"));
    JsonObject none = results.getJsonObject("none");
    assertEquals("ok", none.getString("status"));
    assertNull(none.getValue("data"));
    assertEquals("select /nope matched nothing", none.getJsonArray("notes").getString(0));
  }

  @Test
  void everyResultCarriesFetchedAt() {
    Instant before = Instant.now().minusSeconds(1);
    JsonObject results = fixture.fanin().aggregate(definition(source("a", fixture.upstream().url("")),
        source("b", fixture.upstream().url("status=500")))).bodyAsJsonObject().getJsonObject("results");
    for (String id : new String[] {"a", "b"}) {
      Instant at = Instant.parse(results.getJsonObject(id).getString("fetchedAt"));
      assertTrue(!at.isBefore(before) && !at.isAfter(Instant.now().plusSeconds(1)), at.toString());
    }
  }

  @Test
  void formatTextAndJsonOverrideTheContentType() {
    JsonObject results = fixture.fanin().aggregate(definition(
        source("asText", fixture.upstream().url("body=%7B%22a%22%3A1%7D")).put("format", "text"),
        source("asJson", fixture.upstream().url("type=text/plain&body=%5B1%5D")).put("format", "json"),
        source("notJson", fixture.upstream().url("type=text/plain&body=hello")).put("format", "json")))
        .bodyAsJsonObject().getJsonObject("results");
    assertEquals("{\"a\":1}", results.getJsonObject("asText").getString("data"));
    assertEquals(new JsonArray().add(1), results.getJsonObject("asJson").getJsonArray("data"));
    assertEquals("invalid_body", results.getJsonObject("notJson").getJsonObject("error").getString("kind"));
  }

  @Test
  void badProjectionsAreRefusedWithTheirPointers() {
    JsonObject def = definition(
        source("a", fixture.upstream().url("")).put("select", "no-slash"),
        source("b", fixture.upstream().url("")).put("fields", new JsonObject().put("x", 5)),
        source("c", fixture.upstream().url("")).put("format", "feed").put("select", "/x"),
        source("d", fixture.upstream().url("")).put("format", "xml"));
    var res = fixture.fanin().aggregate(def.put("merge", new JsonObject().put("limit", 0)));
    JsonObject problem = BadInputTest.assertProblem(res, 400);
    java.util.List<String> pointers = problem.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer")).toList();
    assertTrue(pointers.containsAll(java.util.List.of("/sources/0/select", "/sources/1/fields/x",
        "/sources/2/select", "/sources/3/format", "/merge/limit")), pointers.toString());
  }
}
