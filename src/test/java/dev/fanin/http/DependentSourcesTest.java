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
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject());

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
}
