package dev.fanin.feeds;

import dev.fanin.testing.Eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The feed registry over HTTP: PUT/GET/list/DELETE, names, validation, If-Match, read-only, disk. */
class FeedRegistryHttpTest {
  static final String URL = "http://127.0.0.1:9/x";
  static Vertx vertx;
  static FaninHarness fanin;
  static Path dataDir;
  static Path confDir;

  @BeforeAll
  static void start() throws IOException {
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("fanin-feeds-data");
    confDir = Files.createTempDirectory("fanin-feeds-conf");
    Files.writeString(confDir.resolve("operator.json"), definition(source("a", URL)).encodePrettily());
    fanin = new FaninHarness(vertx, new JsonObject().put("feeds", new JsonObject()
        .put("dataDir", dataDir.toString()).put("confDir", confDir.toString())));
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    vertx.close().await();
  }

  // ---- helpers shared by the other feed tests ----

  static HttpResponse<Buffer> put(FaninHarness f, String name, JsonObject feed, String ifMatch) {
    return putRaw(f, name, feed.toBuffer(), ifMatch);
  }

  static HttpResponse<Buffer> putRaw(FaninHarness f, String name, Buffer body, String ifMatch) {
    HttpRequest<Buffer> req = f.client.request(HttpMethod.PUT, "/v1/feeds/" + name)
        .putHeader("Content-Type", "application/json");
    if (ifMatch != null) {
      req.putHeader("If-Match", ifMatch);
    }
    return req.sendBuffer(body).await();
  }

  static HttpResponse<Buffer> get(FaninHarness f, String path) {
    return f.client.request(HttpMethod.GET, path).send().await();
  }

  static HttpResponse<Buffer> delete(FaninHarness f, String name, String ifMatch) {
    HttpRequest<Buffer> req = f.client.request(HttpMethod.DELETE, "/v1/feeds/" + name);
    if (ifMatch != null) {
      req.putHeader("If-Match", ifMatch);
    }
    return req.send().await();
  }

  /** Asserts a problem+json answer with this status and returns it. */
  static JsonObject problem(HttpResponse<Buffer> res, int status) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("Content-Type"), res.bodyAsString());
    JsonObject problem = res.bodyAsJsonObject();
    assertEquals(status, problem.getInteger("status"));
    return problem;
  }

  /** The JSON Pointers of a 400 problem. */
  static List<String> pointers(HttpResponse<Buffer> res) {
    JsonArray errors = problem(res, 400).getJsonArray("errors", new JsonArray());
    return errors.stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the registry ----

  @Test
  void putCreatesThenReplacesGetShowsItDeleteRemovesIt() {
    JsonObject v1 = definition(source("a", URL));
    HttpResponse<Buffer> created = put(fanin, "life", v1, null);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("/v1/feeds/life", created.getHeader("Location"));
    String etag1 = created.getHeader("ETag");
    assertNotNull(etag1);
    JsonObject body = created.bodyAsJsonObject();
    assertEquals("life", body.getString("name"));
    assertEquals(false, body.getBoolean("readOnly"));
    assertEquals(etag1, body.getString("etag"));
    assertEquals(v1, body.getJsonObject("definition"));

    HttpResponse<Buffer> got = get(fanin, "/v1/feeds/life");
    assertEquals(200, got.statusCode());
    assertEquals(etag1, got.getHeader("ETag"));
    assertEquals(new JsonObject().put("name", "life").put("readOnly", false).put("etag", etag1)
        .put("definition", v1), got.bodyAsJsonObject());

    HttpResponse<Buffer> same = put(fanin, "life", v1, null);
    assertEquals(200, same.statusCode(), same.bodyAsString());
    assertNull(same.getHeader("Location"));
    assertEquals(etag1, same.getHeader("ETag"), "the ETag is a hash of the definition");

    JsonObject v2 = definition(source("a", URL), source("b", URL + "?b")).put("deadlineMs", 2000);
    HttpResponse<Buffer> replaced = put(fanin, "life", v2, null);
    assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
    String etag2 = replaced.getHeader("ETag");
    assertNotEquals(etag1, etag2);
    assertEquals(v2, get(fanin, "/v1/feeds/life").bodyAsJsonObject().getJsonObject("definition"));
    assertEquals(etag2, get(fanin, "/v1/feeds/life").getHeader("ETag"));

    HttpResponse<Buffer> deleted = delete(fanin, "life", null);
    assertEquals(204, deleted.statusCode(), deleted.bodyAsString());
    problem(get(fanin, "/v1/feeds/life"), 404);
    problem(delete(fanin, "life", null), 404);
  }

  @Test
  void unknownFeedsAre404() {
    JsonObject p = problem(get(fanin, "/v1/feeds/never-there"), 404);
    assertEquals("urn:fanin:problem:not-found", p.getString("type"));
    assertTrue(p.getString("detail").contains("never-there"), p.encode());
    problem(delete(fanin, "never-there", null), 404);
  }

  @Test
  void theListIsSortedByNameAndSummarisesEachFeed() {
    put(fanin, "list-b", definition(source("a", URL), source("b", URL)), null);
    put(fanin, "list-a", definition(source("a", URL)).put("schedule", new JsonObject().put("everyMs", 3_600_000)), null);
    HttpResponse<Buffer> res = get(fanin, "/v1/feeds");
    assertEquals(200, res.statusCode());
    assertTrue(res.getHeader("Content-Type").startsWith("application/json"));
    JsonArray feeds = res.bodyAsJsonObject().getJsonArray("feeds");
    List<String> names = feeds.stream().map(f -> ((JsonObject) f).getString("name")).toList();
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(names.containsAll(List.of("list-a", "list-b", "operator")), names.toString());
    JsonObject a = find(feeds, "list-a");
    JsonObject b = find(feeds, "list-b");
    assertEquals(new JsonObject().put("everyMs", 3_600_000), a.getJsonObject("schedule"));
    assertEquals(1, a.getInteger("sources"));
    assertEquals(2, b.getInteger("sources"));
    assertFalse(b.containsKey("schedule"));
    assertEquals(get(fanin, "/v1/feeds/list-b").getHeader("ETag"), b.getString("etag"));
    assertEquals(false, b.getBoolean("readOnly"));
    assertEquals(true, find(feeds, "operator").getBoolean("readOnly"));
    delete(fanin, "list-a", null);
    delete(fanin, "list-b", null);
  }

  static JsonObject find(JsonArray feeds, String name) {
    return feeds.stream().map(JsonObject.class::cast).filter(f -> f.getString("name").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + feeds));
  }

  @Test
  void namesAreOneTo64OfLettersDigitsDotDashUnderscore() {
    String longest = "N".repeat(64);
    assertEquals(201, put(fanin, longest, definition(source("a", URL)), null).statusCode());
    assertEquals(201, put(fanin, "a.B_c-9", definition(source("a", URL)), null).statusCode());
    assertEquals(200, get(fanin, "/v1/feeds/" + longest).statusCode());
    for (String bad : List.of("N".repeat(65), "a%20b", "%C3%BC", "a%0Ab", "a:b")) {
      HttpResponse<Buffer> res = put(fanin, bad, definition(source("a", URL)), null);
      assertEquals(List.of("/name"), pointers(res), bad);
    }
    // an encoded slash must never reach the disk as a folder
    HttpResponse<Buffer> slash = put(fanin, "a%2Fb", definition(source("a", URL)), null);
    assertTrue(slash.statusCode() == 400 || slash.statusCode() == 404, slash.statusCode() + " " + slash.bodyAsString());
    HttpResponse<Buffer> dots = put(fanin, "..%2F..%2Fevil", definition(source("a", URL)), null);
    assertTrue(dots.statusCode() == 400 || dots.statusCode() == 404, dots.bodyAsString());
    delete(fanin, longest, null);
    delete(fanin, "a.B_c-9", null);
  }

  @Test
  void namesOfOnlyDotsAreRefusedAndNothingReachesTheDisk() throws IOException {
    HttpResponse<Buffer> res = put(fanin, "...", definition(source("a", URL)), null);
    assertEquals(List.of("/name"), pointers(res));
    assertTrue(problem(res, 400).getString("detail").contains("not only dots"), res.bodyAsString());
    problem(get(fanin, "/v1/feeds/..."), 400);
    try (Stream<Path> files = Files.list(dataDir.resolve("feeds"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("..")), "a dotted file was stored");
    }
  }

  static Stream<String> badDefinitions() {
    String ok = "{\"id\":\"a\",\"url\":\"" + URL + "\"}";
    return Stream.of(
        "{\"sources\": [",
        "[]",
        "",
        "{\"sources\": []}",
        "{}",
        "{\"sources\":[{\"id\":\"a\"}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"ftp://x/y\"}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"http://u:p@127.0.0.1/y\"}]}",
        "{\"sources\":[{\"id\":\"a b\",\"url\":\"" + URL + "\"}]}",
        "{\"sources\":[" + ok + "," + ok + "]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"" + URL + "\",\"method\":\"TRACE\"}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"" + URL + "\",\"body\":\"x\"}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"" + URL + "\",\"headers\":{\"Host\":\"evil\"}}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"" + URL + "\",\"headers\":{\"X-A\":\"1\\r\\nX-B: 2\"}}]}",
        "{\"sources\":[{\"id\":\"a\",\"url\":\"" + URL + "\",\"timeoutMs\":0,\"retries\":99}]}",
        "{\"sources\":[" + ok + "],\"deadlineMs\":-1,\"concurrency\":0}",
        "{\"sources\":[" + ok + "],\"sorces\":1}",
        "{\"sources\":[" + ok + "],\"sources\":[" + ok + "]}");
  }

  @ParameterizedTest
  @MethodSource("badDefinitions")
  void putValidatesExactlyLikeAggregate(String body) {
    List<String> aggregate = pointers(fanin.post("/v1/aggregate", "application/json", null, Buffer.buffer(body)));
    List<String> feed = pointers(putRaw(fanin, "bad", Buffer.buffer(body), null));
    assertFalse(feed.isEmpty());
    assertEquals(aggregate, feed);
    problem(get(fanin, "/v1/feeds/..."), 400);
  }

  @Test
  void theNewFieldsAreValidatedWithTheirOwnPointers() {
    JsonObject bad = definition(source("a", "http://127.0.0.1:9/x/{sym}?u={undeclared}"))
        .put("params", new JsonObject().put("sym", new JsonObject().put("pattern", "[A-Z")).put("9x", new JsonObject()))
        .put("schedule", new JsonObject().put("everyMs", 1).put("cron", "* * *"));
    List<String> pointers = pointers(put(fanin, "fields", bad, null));
    for (String p : List.of("/params/sym/pattern", "/params/9x", "/schedule/everyMs", "/schedule/cron", "/sources/0/url")) {
      assertTrue(pointers.contains(p), p + " missing from " + pointers);
    }
    problem(get(fanin, "/v1/feeds/fields"), 404);
  }

  @Test
  void putNeedsAJsonBody() {
    HttpResponse<Buffer> res = fanin.client.request(HttpMethod.PUT, "/v1/feeds/typed")
        .putHeader("Content-Type", "text/plain").sendBuffer(definition(source("a", URL)).toBuffer()).await();
    problem(res, 415);
  }

  @Test
  void ifMatchGuardsPutAndDelete() {
    String etag = put(fanin, "guarded", definition(source("a", URL)), null).getHeader("ETag");
    JsonObject v2 = definition(source("a", URL + "?v=2"));

    JsonObject refused = problem(put(fanin, "guarded", v2, "\"0000\""), 412);
    assertEquals("urn:fanin:problem:precondition-failed", refused.getString("type"));
    assertEquals(etag, get(fanin, "/v1/feeds/guarded").getHeader("ETag"), "a refused PUT changed the feed");

    HttpResponse<Buffer> ok = put(fanin, "guarded", v2, "\"0000\", " + etag);
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    String etag2 = ok.getHeader("ETag");

    // the old version's tag no longer matches: a second editor cannot overwrite silently
    problem(put(fanin, "guarded", definition(source("a", URL + "?v=3")), etag), 412);
    problem(delete(fanin, "guarded", etag), 412);
    assertEquals(200, get(fanin, "/v1/feeds/guarded").statusCode());

    // If-Match compares strongly: the weak form of the current tag does not match
    problem(put(fanin, "guarded", definition(source("a", URL + "?weak")), "W/" + etag2), 412);

    HttpResponse<Buffer> star = put(fanin, "guarded", definition(source("a", URL + "?v=4")), "*");
    assertEquals(200, star.statusCode(), star.bodyAsString());
    String etag4 = star.getHeader("ETag");
    assertNotEquals(etag2, etag4);

    assertEquals(204, delete(fanin, "guarded", etag4).statusCode());
    problem(get(fanin, "/v1/feeds/guarded"), 404);
  }

  @Test
  void ofConcurrentEditorsWithTheSameEtagExactlyOneWins() {
    String etag = put(fanin, "contested", definition(source("a", URL)), null).getHeader("ETag");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> edits = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      edits.add(fanin.client.request(HttpMethod.PUT, "/v1/feeds/contested")
          .putHeader("Content-Type", "application/json").putHeader("If-Match", etag)
          .sendBuffer(definition(source("a", URL + "?editor=" + i)).toBuffer()));
    }
    io.vertx.core.Future.join(edits).await();
    List<Integer> statuses = edits.stream().map(f -> f.result().statusCode()).sorted().toList();
    assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(11, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
    HttpResponse<Buffer> winner = edits.stream().map(io.vertx.core.Future::result)
        .filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
    assertEquals(winner.bodyAsJsonObject().getJsonObject("definition"),
        get(fanin, "/v1/feeds/contested").bodyAsJsonObject().getJsonObject("definition"));
    delete(fanin, "contested", null);
  }

  @Test
  void ifMatchOnAMissingFeedIs412AndCreatesNothing() {
    problem(put(fanin, "absent", definition(source("a", URL)), "*"), 412);
    problem(put(fanin, "absent", definition(source("a", URL)), "\"abc\""), 412);
    problem(get(fanin, "/v1/feeds/absent"), 404);
    assertFalse(Files.exists(dataDir.resolve("feeds/absent.json")));
    problem(delete(fanin, "absent", "*"), 412);
  }

  @Test
  void operatorFeedsAreReadOnly() {
    HttpResponse<Buffer> got = get(fanin, "/v1/feeds/operator");
    assertEquals(200, got.statusCode(), got.bodyAsString());
    assertEquals(true, got.bodyAsJsonObject().getBoolean("readOnly"));
    String etag = got.getHeader("ETag");
    JsonObject conflict = problem(put(fanin, "operator", definition(source("b", URL)), null), 409);
    assertEquals("urn:fanin:problem:conflict", conflict.getString("type"));
    problem(put(fanin, "operator", definition(source("b", URL)), etag), 409);
    problem(delete(fanin, "operator", null), 409);
    problem(delete(fanin, "operator", etag), 409);
    HttpResponse<Buffer> after = get(fanin, "/v1/feeds/operator");
    assertEquals(etag, after.getHeader("ETag"));
    assertEquals(definition(source("a", URL)), after.bodyAsJsonObject().getJsonObject("definition"));
    assertFalse(Files.exists(dataDir.resolve("feeds/operator.json")));
  }

  @Test
  void acceptedChangesAreOnDiskBeforeTheAnswer() throws IOException {
    Path file = dataDir.resolve("feeds/disk.json");
    JsonObject v1 = definition(source("a", URL));
    assertEquals(201, put(fanin, "disk", v1, null).statusCode());
    JsonObject stored = new JsonObject(Files.readString(file));
    assertEquals(v1, stored.getJsonObject("definition"));
    assertEquals(1L, stored.getLong("rev"));
    JsonObject v2 = definition(source("a", URL + "?v=2"));
    assertEquals(200, put(fanin, "disk", v2, null).statusCode());
    stored = new JsonObject(Files.readString(file));
    assertEquals(v2, stored.getJsonObject("definition"));
    assertEquals(2L, stored.getLong("rev"));
    assertEquals(204, delete(fanin, "disk", null).statusCode());
    assertFalse(Files.exists(file));
    try (Stream<Path> files = Files.list(dataDir.resolve("feeds"))) {
      List<String> temps = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
      assertEquals(List.of(), temps);
    }
  }

  @Test
  void aBareDefinitionFileFromBeforeRevisionsStillLoads() throws IOException {
    Path data = tempDir("fanin-feeds-legacy");
    Files.createDirectories(data.resolve("feeds"));
    JsonObject legacy = definition(source("a", URL));
    Files.writeString(data.resolve("feeds/legacy.json"), legacy.encodePrettily());
    // an own Vert.x, like the restart test below: its own fanin.feeds.* addresses
    Vertx own = Vertx.vertx();
    FaninHarness node = new FaninHarness(own, new JsonObject().put("feeds", new JsonObject().put("dataDir", data.toString())));
    try {
      HttpResponse<Buffer> got = get(node, "/v1/feeds/legacy");
      assertEquals(200, got.statusCode());
      assertEquals(legacy, got.bodyAsJsonObject().getJsonObject("definition"));
      // the next change writes it as revision 1
      assertEquals(200, put(node, "legacy", definition(source("b", URL)), null).statusCode());
      assertEquals(1L, new JsonObject(Files.readString(data.resolve("feeds/legacy.json"))).getLong("rev"));
    } finally {
      node.stop();
      own.close().await();
    }
  }

  @Test
  void feedsSurviveARestartWithTheirEtags() throws IOException {
    Path data = tempDir("fanin-feeds-restart");
    JsonObject cfg = new JsonObject().put("feeds", new JsonObject().put("dataDir", data.toString()));
    // an own Vert.x: two registries on one event bus would share the fanin.feeds.* addresses
    Vertx own = Vertx.vertx();
    FaninHarness first = new FaninHarness(own, cfg);
    JsonObject kept = definition(source("a", URL + "?kept"), source("b", URL)).put("deadlineMs", 1234)
        .put("params", new JsonObject().put("s", new JsonObject().put("default", "x")));
    String keptTag = put(first, "kept", kept, null).getHeader("ETag");
    put(first, "gone", definition(source("a", URL)), null);
    assertEquals(204, delete(first, "gone", null).statusCode());
    // a temporary file left by a crash must not stop the start, and is removed
    Files.writeString(data.resolve("feeds/kept.json.crashed.tmp"), "{\"sources\": [");
    first.stop();

    FaninHarness second = new FaninHarness(own, cfg);
    try {
      HttpResponse<Buffer> got = get(second, "/v1/feeds/kept");
      assertEquals(200, got.statusCode(), got.bodyAsString());
      assertEquals(keptTag, got.getHeader("ETag"));
      assertEquals(kept, got.bodyAsJsonObject().getJsonObject("definition"));
      problem(get(second, "/v1/feeds/gone"), 404);
      assertFalse(Files.exists(data.resolve("feeds/kept.json.crashed.tmp")));
      // and it can be changed with the tag from before the restart
      assertEquals(200, put(second, "kept", definition(source("a", URL)), keptTag).statusCode());
    } finally {
      second.stop();
      own.close().await();
    }
  }

  @Test
  void theRegistryHoldsAtMostMaxFeeds() {
    Vertx own = Vertx.vertx();
    FaninHarness small = new FaninHarness(own, new JsonObject().put("feeds", new JsonObject().put("maxFeeds", 2)));
    try {
      assertEquals(201, put(small, "one", definition(source("a", URL)), null).statusCode());
      assertEquals(201, put(small, "two", definition(source("a", URL)), null).statusCode());
      problem(put(small, "three", definition(source("a", URL)), null), 409);
      assertEquals(200, put(small, "two", definition(source("b", URL)), null).statusCode(),
          "replacing is not adding");
      assertEquals(204, delete(small, "one", null).statusCode());
      assertEquals(201, put(small, "three", definition(source("a", URL)), null).statusCode());
    } finally {
      small.stop();
      own.close().await();
    }
  }
}
