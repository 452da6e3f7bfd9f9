package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FakeUpstream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sources that use other sources' results: a value filled into the URL (percent-encoded), a header
 * and a JSON body (escaped); the dependent starts once its source is ok, independent ones at once;
 * a failed source or a pointer that finds nothing skips its dependents; bad references are 400s.
 */
class DependentSourcesTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("aggregate", new JsonObject().put("maxExpansion", 5)));

  static String at(String path, String query) {
    return "http://127.0.0.1:" + fixture.upstream().port() + "/" + path + (query.isEmpty() ? "" : "?" + query);
  }

  static String body(JsonObject json) {
    return "body=" + URLEncoder.encode(json.encode(), StandardCharsets.UTF_8);
  }

  static HttpResponse<Buffer> run(JsonObject definition) {
    return fixture.fanin().aggregate(definition);
  }

  @Test
  void aValueOfOneSourceGoesIntoAnothersUrlHeaderAndBody() {
    String tag = UUID.randomUUID().toString();
    JsonObject user = source("user", at("user-" + tag, "delay=150&" + body(new JsonObject()
        .put("id", 42).put("name", "Ann \"the\" O'Neil/x").put("tags", List.of("a")))));
    JsonObject orders = source("orders", at("orders-" + tag, "user={sources.user.data.id}&who={sources.user.data.name}"));
    JsonObject note = source("note", at("note-" + tag, "")).put("method", "POST")
        .put("headers", new JsonObject().put("X-User", "{sources.user.data.id}"))
        .put("body", new JsonObject().put("name", "{sources.user.data.name}").put("first", "{sources.user.data.tags.0}"));
    JsonObject alone = source("alone", at("alone-" + tag, "delay=1"));
    HttpResponse<Buffer> res = run(definition(user, orders, note, alone));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    FakeUpstream.Recorded sent = fixture.upstream().recorded("/orders-" + tag).get(0);
    assertEquals("user=42&who=Ann%20%22the%22%20O%27Neil%2Fx", sent.query());
    FakeUpstream.Recorded posted = fixture.upstream().recorded("/note-" + tag).get(0);
    assertEquals("42", posted.headers().get("X-User"));
    assertEquals(new JsonObject().put("name", "Ann \"the\" O'Neil/x").put("first", "a"), new JsonObject(posted.body()));
    assertTrue(results.getJsonObject("alone").getLong("startMs") < 100, "an independent source starts at once");
    assertTrue(results.getJsonObject("orders").getLong("startMs") >= 140,
        "the dependent started after its source answered: " + results.getJsonObject("orders"));
  }

  @Test
  void aFailedSourceOrAPointerThatFindsNothingSkipsItsDependents() {
    String tag = UUID.randomUUID().toString();
    HttpResponse<Buffer> res = run(definition(
        source("broken", at("broken-" + tag, "status=500")),
        source("after", at("after-" + tag, "x={sources.broken.data.id}")),
        source("empty", at("empty-" + tag, body(new JsonObject().put("other", 1)))),
        source("missing", at("missing-" + tag, "x={sources.empty.data.id}")),
        source("object", at("object-" + tag, "x={sources.empty.data}")).put("optional", true)));
    assertEquals(502, res.statusCode());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    JsonObject after = results.getJsonObject("after");
    assertEquals("skipped", after.getJsonObject("error").getString("kind"));
    assertEquals("waited for {sources.broken.data.id}: source \"broken\" failed (http)",
        after.getJsonObject("error").getString("message"));
    assertEquals(0, after.getInteger("attempts"));
    assertEquals("waited for {sources.empty.data.id}: nothing is there in source \"empty\"'s data",
        results.getJsonObject("missing").getJsonObject("error").getString("message"));
    assertTrue(results.getJsonObject("object").getJsonObject("error").getString("message").contains("an object"));
    assertTrue(fixture.upstream().recorded("/after-" + tag).isEmpty(), "nothing was sent for a skipped source");
  }

  @Test
  void aChainRunsInOrder() {
    String tag = UUID.randomUUID().toString();
    HttpResponse<Buffer> res = run(definition(
        source("c", at("c-" + tag, "v={sources.b.data.v}&" + body(new JsonObject().put("v", "done")))),
        source("b", at("b-" + tag, "v={sources.a.data.v}&" + body(new JsonObject().put("v", "b")))),
        source("a", at("a-" + tag, body(new JsonObject().put("v", "a"))))));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertEquals("v=b&" + body(new JsonObject().put("v", "done")),
        fixture.upstream().recorded("/c-" + tag).get(0).query());
  }

  @Test
  void badReferencesAreRefusedBeforeAnythingRuns() {
    JsonObject unknown = definition(source("a", at("x", "v={sources.nobody.data.id}")));
    HttpResponse<Buffer> res = run(unknown);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/0/url") && res.bodyAsString().contains("nobody"), res.bodyAsString());
    JsonObject loop = definition(source("a", at("x", "v={sources.b.data.id}")), source("b", at("y", "v={sources.a.data.id}")));
    res = run(loop);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("closes a loop"), res.bodyAsString());
    JsonObject text = definition(source("a", at("x", "")).put("format", "text"), source("b", at("y", "v={sources.a.data.id}")));
    res = run(text);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/1/url") && res.bodyAsString().contains("text"), res.bodyAsString());
    JsonObject host = definition(source("a", at("x", "")), source("b", "http://{sources.a.data.host}/x"));
    res = run(host);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/1/url"), res.bodyAsString());
  }

  @Test
  void aListIsExpandedIntoOneRequestPerValueEachItsOwnResult() {
    String tag = UUID.randomUUID().toString();
    JsonObject list = source("list", at("list-" + tag, body(new JsonObject().put("items", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("id", 7)).add(new JsonObject().put("id", "a b")).add(new JsonObject().put("x", 1))))));
    JsonObject orders = source("orders", at("orders-" + tag, "item={sources.list.data.items[*].id}&u={sources.list.data.items.0.id}"));
    HttpResponse<Buffer> res = run(definition(list, orders).put("deadlineMs", 10_000));
    assertEquals(502, res.statusCode(), "the third element has no id, so its request is skipped: " + res.bodyAsString());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    assertEquals(List.of("list", "orders.0", "orders.1", "orders.2"), List.copyOf(new java.util.TreeSet<>(results.fieldNames())));
    assertEquals("ok", results.getJsonObject("orders.0").getString("status"));
    assertEquals("ok", results.getJsonObject("orders.1").getString("status"));
    assertEquals("skipped", results.getJsonObject("orders.2").getJsonObject("error").getString("kind"));
    List<String> queries = fixture.upstream().recorded("/orders-" + tag).stream().map(FakeUpstream.Recorded::query)
        .sorted().toList();
    assertEquals(List.of("item=7&u=7", "item=a%20b&u=7"), queries);
  }

  @Test
  void anEmptyListMakesNoRequestAndATooLongOneIsSkipped() {
    String tag = UUID.randomUUID().toString();
    JsonObject empty = source("empty", at("empty-" + tag, body(new JsonObject().put("items", new io.vertx.core.json.JsonArray()))));
    JsonObject none = source("none", at("none-" + tag, "i={sources.empty.data.items[*]}"));
    io.vertx.core.json.JsonArray six = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 6; i++) {
      six.add(i);
    }
    JsonObject longList = source("long", at("long-" + tag, body(new JsonObject().put("items", six))));
    JsonObject each = source("each", at("each-" + tag, "i={sources.long.data.items[*]}")).put("optional", true);
    HttpResponse<Buffer> res = run(definition(empty, none, longList, each));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    JsonObject noneResult = results.getJsonObject("none");
    assertEquals("ok", noneResult.getString("status"));
    assertEquals(0, noneResult.getInteger("attempts"));
    assertEquals(new io.vertx.core.json.JsonArray(), noneResult.getJsonArray("data"));
    JsonObject eachResult = results.getJsonObject("each");
    assertEquals("skipped", eachResult.getJsonObject("error").getString("kind"));
    assertTrue(eachResult.getJsonObject("error").getString("message").contains("aggregate.maxExpansion (5)"),
        eachResult.encode());
    assertTrue(fixture.upstream().recorded("/none-" + tag).isEmpty() && fixture.upstream().recorded("/each-" + tag).isEmpty());
  }

  @Test
  void anExpandedSourceCannotBeReferredToNorUsedWithACompletionPolicy() {
    JsonObject refer = definition(source("list", at("x", "")), source("each", at("y", "i={sources.list.data[*]}")),
        source("after", at("z", "i={sources.each.data.id}")));
    HttpResponse<Buffer> res = run(refer);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/2/url") && res.bodyAsString().contains("expanded"), res.bodyAsString());
    JsonObject policy = definition(source("list", at("x", "")), source("each", at("y", "i={sources.list.data[*]}")))
        .put("complete", new JsonObject().put("when", "first"));
    res = run(policy);
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/complete"), res.bodyAsString());
  }
}
