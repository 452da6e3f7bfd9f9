package dev.fanin.feeds;

import static dev.fanin.feeds.FeedRegistryHttpTest.pointers;
import static dev.fanin.feeds.FeedRegistryHttpTest.problem;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FakeUpstream.Recorded;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Running a feed with parameters over HTTP: what actually reaches the upstream, and the refusals. */
class FeedRunTest {
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;
  static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject());
    base = "http://127.0.0.1:" + upstream.port();
    JsonObject required = new JsonObject();
    created(put(fanin, "quote", new JsonObject()
        .put("params", new JsonObject()
            .put("symbol", new JsonObject().put("pattern", "[A-Z]{1,8}"))
            .put("currency", new JsonObject().put("default", "usd")))
        .put("sources", new JsonArray().add(new JsonObject()
            .put("id", "quote").put("method", "POST")
            .put("url", base + "/quote/{symbol}?in={currency}")
            .put("headers", new JsonObject().put("X-Symbol", "{symbol}").put("X-Literal", "{not_a_param}"))
            .put("body", new JsonObject().put("symbol", "{symbol}").put("currency", "{currency}")
                .put("n", 7))))));
    created(put(fanin, "open", definition(source("o", base + "/open/{v}/end?q={v}&k=1"))
        .put("params", new JsonObject().put("v", required))));
    created(put(fanin, "hdr", new JsonObject()
        .put("params", new JsonObject().put("v", required))
        .put("sources", new JsonArray().add(new JsonObject()
            .put("id", "h").put("method", "POST").put("url", base + "/hdr")
            .put("headers", new JsonObject().put("X-V", "pre-{v}"))
            .put("body", new JsonObject().put("v", "{v}").put("list", new JsonArray().add("{v}")))))));
    created(put(fanin, "defaults", definition(source("d", base + "/defaults/{a}?b={b}"))
        .put("params", new JsonObject()
            .put("a", new JsonObject().put("default", "A1"))
            .put("b", new JsonObject().put("pattern", "[0-9]+").put("default", "42")))));
    created(put(fanin, "two", definition(
        source("slow", base + "/two/slow?delay=500"),
        source("fast", base + "/two/{p}?delay=10"))
        .put("params", new JsonObject().put("p", new JsonObject().put("default", "fast")))));
    created(put(fanin, "broken", definition(source("b", base + "/broken?status=500"))));
  }

  static void created(HttpResponse<Buffer> res) {
    assertEquals(201, res.statusCode(), res.bodyAsString());
  }

  static HttpResponse<Buffer> put(FaninHarness f, String name, JsonObject feed) {
    return FeedRegistryHttpTest.put(f, name, feed, null);
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static HttpResponse<Buffer> runGet(String feed, String query, String accept) {
    HttpRequest<Buffer> req = fanin.client.request(HttpMethod.GET,
        "/v1/feeds/" + feed + "/aggregate" + (query.isEmpty() ? "" : "?" + query));
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    return req.send().await();
  }

  static HttpResponse<Buffer> runPost(String feed, String body, String accept) {
    return fanin.post("/v1/feeds/" + feed + "/aggregate", "application/json", accept, Buffer.buffer(body));
  }

  /** The last request the upstream received on a path starting with this prefix. */
  static Recorded last(String pathPrefix) {
    List<Recorded> all = upstream.recorded().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    assertFalse(all.isEmpty(), "no request reached " + pathPrefix);
    return all.get(all.size() - 1);
  }

  static int count(String pathPrefix) {
    return (int) upstream.recorded().stream().filter(r -> r.path().startsWith(pathPrefix)).count();
  }

  static Map<String, List<String>> queryOf(Recorded r) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : r.query().split("&")) {
      int eq = pair.indexOf('=');
      out.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void getTakesParametersFromTheQueryIntoPathQueryHeadersAndBody() {
    HttpResponse<Buffer> res = runGet("quote", "symbol=BTC", null);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject aggregate = res.bodyAsJsonObject();
    assertEquals(true, aggregate.getBoolean("complete"));
    assertEquals("ok", aggregate.getJsonObject("results").getJsonObject("quote").getString("status"));
    Recorded r = last("/quote/");
    assertEquals("POST", r.method());
    assertEquals("/quote/BTC", r.path());
    assertEquals("in=usd", r.query());
    assertEquals("BTC", r.headers().get("X-Symbol"));
    assertEquals("{not_a_param}", r.headers().get("X-Literal"), "an undeclared placeholder in a header stays as it is");
    assertEquals("127.0.0.1:" + upstream.port(), r.headers().get("Host"));
    assertEquals(new JsonObject().put("symbol", "BTC").put("currency", "usd").put("n", 7), new JsonObject(r.body()));
  }

  @Test
  void postTakesParametersFromAJsonObject() {
    HttpResponse<Buffer> res = runPost("quote", "{\"symbol\": \"ETH\", \"currency\": \"eur\"}", null);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    Recorded r = last("/quote/");
    assertEquals("/quote/ETH", r.path());
    assertEquals("in=eur", r.query());
    assertEquals("ETH", r.headers().get("X-Symbol"));
    assertEquals(new JsonObject().put("symbol", "ETH").put("currency", "eur").put("n", 7), new JsonObject(r.body()));

    assertEquals(200, runPost("open", "{\"v\": 42}", null).statusCode());
    assertEquals("/open/42/end", last("/open/").path());
    assertEquals(200, runPost("open", "{\"v\": true}", null).statusCode());
    assertEquals("/open/true/end", last("/open/").path());
    assertEquals(200, runPost("open", "{\"v\": 1.5}", null).statusCode());
    assertEquals("/open/1%2E5/end", last("/open/").path());
  }

  /** A POST with a raw body through core's client: chunked, or with Content-Length, and headers as given. */
  static int rawRunPost(String feed, String contentType, String body, boolean chunked) {
    HttpClient client = vertx.createHttpClient();
    try {
      return client.request(HttpMethod.POST, fanin.fanin.port(), "127.0.0.1", "/v1/feeds/" + feed + "/aggregate")
          .compose(req -> {
            if (contentType != null) {
              req.putHeader("Content-Type", contentType);
            }
            req.setChunked(chunked);
            return req.send(Buffer.buffer(body));
          })
          .compose(res -> res.body().map(b -> res.statusCode()))
          .await();
    } finally {
      client.close();
    }
  }

  @Test
  void anEmptyBodyNeedsNoContentType() {
    HttpResponse<Buffer> noBody = fanin.client.request(HttpMethod.POST, "/v1/feeds/defaults/aggregate").send().await();
    assertEquals(200, noBody.statusCode(), noBody.bodyAsString());
    assertEquals("/defaults/A1", last("/defaults/").path());
    assertEquals(200, rawRunPost("defaults", null, "", false));
    assertEquals(200, rawRunPost("defaults", null, "", true));
    // a body fanin would have to guess at stays refused, whether its length is declared or not
    problem(fanin.post("/v1/feeds/defaults/aggregate", null, null, Buffer.buffer("{\"b\": \"7\"}")), 415);
    assertEquals(415, rawRunPost("defaults", null, "{\"b\": \"7\"}", true));
    problem(fanin.post("/v1/feeds/defaults/aggregate", "text/plain", null, Buffer.buffer("")), 415);
    problem(fanin.post("/v1/feeds/defaults/aggregate", "text/plain", null, Buffer.buffer("{}")), 415);
  }

  @Test
  void defaultsFillMissingParameters() {
    assertEquals(200, runGet("defaults", "", null).statusCode());
    Recorded r = last("/defaults/");
    assertEquals("/defaults/A1", r.path());
    assertEquals("b=42", r.query());
    assertEquals(200, runPost("defaults", "", null).statusCode(), "an empty body uses the defaults");
    assertEquals("/defaults/A1", last("/defaults/").path());
    assertEquals(200, runPost("defaults", "{}", null).statusCode());
    assertEquals(200, runGet("defaults", "b=7", null).statusCode());
    assertEquals("b=7", last("/defaults/").query());
    assertEquals("/defaults/A1", last("/defaults/").path());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../admin", "..", ".", "@evil.example", "%2F", "a/b?c=d#e", "a\r\nX-Evil: 1",
      "a&k=2", "x=y", "é ü+", "http://evil.example/", "\\..\\..", "%00"})
  void aPathOrQueryValueCannotChangeTheHostPathStructureOrHeaders(String value) {
    int before = count("/open/");
    HttpResponse<Buffer> res = runGet("open", "v=" + q(value), null);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertEquals(before + 1, count("/open/"), "the request did not reach the same upstream");
    Recorded r = last("/open/");
    // the path keeps its three segments, the value's own bytes all percent-encoded
    String[] segments = r.path().split("/", -1);
    assertEquals(List.of("", "open", segments[2], "end"), Arrays.asList(segments), r.path());
    assertTrue(segments[2].matches("([A-Za-z0-9_~-]|%[0-9A-F]{2})+"), segments[2]);
    assertEquals(value, URLDecoder.decode(segments[2].replace("+", "%2B"), StandardCharsets.UTF_8));
    // the query keeps its two parameters, the value whole in q
    Map<String, List<String>> query = queryOf(r);
    assertEquals(List.of("q", "k"), List.copyOf(query.keySet()), r.query());
    assertEquals(List.of(value), query.get("q"));
    assertEquals(List.of("1"), query.get("k"));
    assertEquals("127.0.0.1:" + upstream.port(), r.headers().get("Host"));
    assertNull(r.headers().get("X-Evil"));
  }

  @Test
  void pathValuesAreEncodedAsDocumented() {
    for (Map.Entry<String, String> e : Map.of("../admin", "%2E%2E%2Fadmin", "@evil.example", "%40evil%2Eexample",
        "%2F", "%252F", "A-z_0~", "A-z_0~").entrySet()) {
      assertEquals(200, runGet("open", "v=" + q(e.getKey()), null).statusCode());
      assertEquals("/open/" + e.getValue() + "/end", last("/open/").path(), e.getKey());
    }
    assertEquals(200, runGet("open", "v=" + q("a&k=2#x"), null).statusCode());
    assertEquals("q=a%26k%3D2%23x&k=1", last("/open/").query());
  }

  @Test
  void aHeaderValueWithCrOrLfIsRefusedAndNothingIsSent() {
    assertEquals(200, runGet("hdr", "v=ok", null).statusCode());
    assertEquals("pre-ok", last("/hdr").headers().get("X-V"));
    int before = count("/hdr");
    for (String evil : List.of("a\r\nX-Evil: 1", "a\nX-Evil: 1", "a\rX-Evil: 1", "a\u0000b")) {
      HttpResponse<Buffer> res = runGet("hdr", "v=" + q(evil), null);
      List<String> pointers = pointers(res);
      assertTrue(pointers.contains("/sources/0/headers/X-V"), pointers.toString());
      HttpResponse<Buffer> post = runPost("hdr", new JsonObject().put("v", evil).encode(), null);
      assertEquals(400, post.statusCode(), post.bodyAsString());
    }
    assertEquals(before, count("/hdr"), "a refused run still reached the upstream");
  }

  @Test
  void aBodyValueStaysInsideItsJsonString() {
    String evil = "\", \"admin\": true, \"x\": [\"";
    HttpResponse<Buffer> res = runPost("hdr", new JsonObject().put("v", evil).encode(), null);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject body = new JsonObject(last("/hdr").body());
    assertEquals(new JsonObject().put("v", evil).put("list", new JsonArray().add(evil)), body);
    assertEquals("pre-" + evil, last("/hdr").headers().get("X-V"));
  }

  @Test
  void refusedParametersAre400NamingThem() {
    int before = count("/quote/");
    JsonObject missing = problem(runGet("quote", "", null), 400);
    assertTrue(missing.getString("detail").contains("/params/symbol"), missing.encode());
    assertEquals(List.of("/params/symbol"), pointers(runGet("quote", "", null)));
    assertEquals(List.of("/params/symbol"), pointers(runPost("quote", "{}", null)));
    assertEquals(List.of("/params/symbol"), pointers(runGet("quote", "symbol=btc", null)));
    assertEquals(List.of("/params/symbol"), pointers(runGet("quote", "symbol=" + q("BTC/../x"), null)));
    assertEquals(List.of("/params/symbol"), pointers(runPost("quote", "{\"symbol\": \"TOOLONGXX\"}", null)));
    assertEquals(List.of("/params/zzz"), pointers(runGet("quote", "symbol=BTC&zzz=1", null)));
    assertEquals(List.of("/params/zzz"), pointers(runPost("quote", "{\"symbol\": \"BTC\", \"zzz\": \"1\"}", null)));
    assertEquals(List.of("/params/symbol"), pointers(runGet("quote", "symbol=BTC&symbol=ETH", null)));
    assertEquals(List.of("/params/v"), pointers(runPost("open", "{\"v\": [1]}", null)));
    assertEquals(List.of("/params/v"), pointers(runPost("open", "{\"v\": null}", null)));
    assertEquals(List.of("/params/v"), pointers(runGet("open", "v=" + "x".repeat(1025), null)));
    assertEquals(List.of("/params/b"), pointers(runGet("defaults", "b=x", null)));
    problem(runPost("quote", "{\"symbol\": ", null), 400);
    problem(runPost("quote", "[\"BTC\"]", null), 400);
    assertEquals(before, count("/quote/"), "a refused run reached the upstream");
  }

  @Test
  void streamIsTheFormatNotAParameter() {
    HttpResponse<Buffer> res = runGet("quote", "symbol=BTC&stream=ndjson", null);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertTrue(res.getHeader("Content-Type").startsWith("application/x-ndjson"), res.getHeader("Content-Type"));
  }

  @Test
  void unknownFeeds404() {
    problem(runGet("nope", "symbol=BTC", null), 404);
    problem(runPost("nope", "{}", null), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"get-accept", "get-query", "post-accept"})
  void ndjsonStreamsEachSourceInCompletionOrder(String how) {
    HttpResponse<Buffer> res = switch (how) {
      case "get-accept" -> runGet("two", "", "application/x-ndjson");
      case "get-query" -> runGet("two", "stream=ndjson", null);
      default -> runPost("two", "{}", "application/x-ndjson");
    };
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertTrue(res.getHeader("Content-Type").startsWith("application/x-ndjson"), res.getHeader("Content-Type"));
    assertEquals("no-cache", res.getHeader("Cache-Control"));
    String[] lines = res.bodyAsString().split("\n");
    assertEquals(3, lines.length, res.bodyAsString());
    JsonObject first = new JsonObject(lines[0]);
    JsonObject second = new JsonObject(lines[1]);
    JsonObject summary = new JsonObject(lines[2]);
    assertEquals("result", first.getString("type"));
    assertEquals("fast", first.getString("id"));
    assertEquals("/two/fast", first.getJsonObject("data").getString("path"));
    assertEquals("slow", second.getString("id"));
    assertEquals("summary", summary.getString("type"));
    assertEquals(true, summary.getBoolean("complete"));
    assertEquals(2, summary.getInteger("ok"));
  }

  @Test
  void sseAndJsonAreNegotiatedAsForAggregate() {
    HttpResponse<Buffer> sse = runGet("two", "p=x", "text/event-stream");
    assertEquals(200, sse.statusCode());
    assertTrue(sse.getHeader("Content-Type").startsWith("text/event-stream"));
    assertTrue(sse.bodyAsString().startsWith("event: result\ndata: {"), sse.bodyAsString());
    assertTrue(sse.bodyAsString().contains("event: summary\n"), sse.bodyAsString());
    problem(runGet("two", "", "image/png"), 406);
    problem(runGet("two", "stream=xml", null), 400);
    HttpResponse<Buffer> json = runPost("two", "{\"p\": \"y\"}", "application/json");
    assertTrue(json.getHeader("Content-Type").startsWith("application/json"));
    assertEquals(List.of("slow", "fast"), List.copyOf(json.bodyAsJsonObject().getJsonObject("results").fieldNames()));
  }

  @Test
  void aFailedRequiredSourceAnswers502AsForAggregate() {
    HttpResponse<Buffer> res = runGet("broken", "", null);
    assertEquals(502, res.statusCode(), res.bodyAsString());
    assertEquals(false, res.bodyAsJsonObject().getBoolean("complete"));
  }

  @Test
  void placeholdersInTheSchemeHostOrPortAreRefusedAtPut() {
    JsonObject params = new JsonObject().put("h", new JsonObject().put("default", "127.0.0.1"));
    for (String url : List.of("http://{h}/x", "http://{h}:" + upstream.port() + "/x", "http://127.0.0.1:{h}/x",
        "http://api.{h}/x", "http://{h}", "{h}://127.0.0.1/x", "http://{h}?q=1", "http://{h}#f")) {
      HttpResponse<Buffer> res = put(fanin, "hosty", definition(source("a", url)).put("params", params));
      assertEquals(Set.of("/sources/0/url"), Set.copyOf(pointers(res)), url);
    }
    problem(FeedRegistryHttpTest.get(fanin, "/v1/feeds/hosty"), 404);
  }

  @Test
  void anUndeclaredPlaceholderInAUrlIsRefusedAtPut() {
    for (String url : List.of(base + "/x/{nope}", base + "/x?q={nope}", base + "/x#{nope}")) {
      HttpResponse<Buffer> res = put(fanin, "undeclared", definition(source("a", url)));
      assertEquals(Set.of("/sources/0/url"), Set.copyOf(pointers(res)), url);
      assertTrue(res.bodyAsJsonObject().getString("detail").contains("nope"), res.bodyAsString());
    }
    problem(FeedRegistryHttpTest.get(fanin, "/v1/feeds/undeclared"), 404);
  }
}
