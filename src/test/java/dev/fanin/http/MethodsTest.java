package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.RawHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HEAD is served wherever GET is, and every 405 says in Allow which methods its path accepts. */
class MethodsTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults();

  @BeforeAll
  static void putFeeds() {
    put("plain", definition(source("a", fixture.upstream().url(""))));
    put("ticking", definition(source("a", fixture.upstream().url(""))).put("schedule", new JsonObject().put("everyMs", 60_000)));
  }

  /** Headers whose values differ from one answer to the next, or that frame a body HEAD does not have. */
  static final Set<String> VARYING = Set.of("content-length", "transfer-encoding", "x-request-id", "server-timing",
      "date");

  static void put(String name, JsonObject feed) {
    HttpResponse<Buffer> res = fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/" + name)
        .putHeader("Content-Type", "application/json").sendBuffer(feed.toBuffer()).await();
    assertEquals(201, res.statusCode(), res.bodyAsString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/health/live", "/health/ready", "/metrics", "/v1/feeds", "/v1/feeds/plain",
      "/v1/feeds/plain/aggregate", "/v1/feeds/plain/aggregate?stream=ndjson", "/v1/circuits", "/v1/cluster",
      "/v1/feeds/nope", "/v1/feeds/plain/events"})
  void headAnswersWhatGetAnswersWithoutTheBody(String path) {
    HttpResponse<Buffer> head = fixture.fanin().client.request(HttpMethod.HEAD, path).send().await();
    if (!path.endsWith("/events")) {
      HttpResponse<Buffer> get = fixture.fanin().client.request(HttpMethod.GET, path).send().await();
      assertEquals(get.statusCode(), head.statusCode(), path);
      for (String name : get.headers().names()) {
        if (!VARYING.contains(name.toLowerCase())) {
          assertEquals(get.getHeader(name), head.getHeader(name), path + " " + name);
        }
      }
    } else {
      assertEquals(409, head.statusCode(), "an unscheduled feed has no events, whatever the method");
    }
    // on the wire: no body after the head, and the connection goes on to the next request
    RawHttp.Exchange exchange = RawHttp.exchange(fixture.fanin().fanin.port(), "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000, true);
    assertEquals(2, exchange.responses().size(), exchange.raw());
    assertEquals(head.statusCode(), exchange.responses().get(0).status(), exchange.raw());
    assertEquals("", exchange.responses().get(0).body());
    assertEquals(new JsonObject().put("status", "UP"), new JsonObject(exchange.responses().get(1).body()));
  }

  @Test
  void headOnTheEventsOfAScheduledFeedAnswersTheStreamsHeadAndEnds() {
    RawHttp.Exchange exchange = RawHttp.exchange(fixture.fanin().fanin.port(), "HEAD /v1/feeds/ticking/events HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000, true);
    assertEquals(2, exchange.responses().size(), exchange.raw());
    RawHttp.Response head = exchange.responses().get(0);
    assertEquals(200, head.status(), exchange.raw());
    assertEquals("text/event-stream; charset=utf-8", head.header("Content-Type"));
    assertEquals(200, exchange.responses().get(1).status(), exchange.raw());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ndjson", "sse"})
  void headOnAStreamIsItsHeadAloneAndRunsNothing(String stream) {
    put("slow-" + stream, definition(source("a", fixture.upstream().url("delay=200&stream=" + stream))));
    int before = fixture.upstream().recorded().size();
    RawHttp.Exchange exchange = RawHttp.exchange(fixture.fanin().fanin.port(), "HEAD /v1/feeds/slow-" + stream
        + "/aggregate?stream=" + stream + " HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000, true);
    assertEquals(2, exchange.responses().size(), exchange.raw());
    RawHttp.Response head = exchange.responses().get(0);
    assertEquals(200, head.status(), exchange.raw());
    assertEquals(stream.equals("sse") ? "text/event-stream; charset=utf-8" : "application/x-ndjson",
        head.header("Content-Type"));
    assertEquals("no-cache", head.header("Cache-Control"));
    assertEquals(200, exchange.responses().get(1).status(), exchange.raw());
    assertEquals(before, fixture.upstream().recorded().size(), "a HEAD of a stream fetched its sources");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "POST|/health|GET, HEAD",
      "PUT|/metrics|GET, HEAD",
      "GET|/v1/aggregate|POST",
      "HEAD|/v1/aggregate|POST",
      "DELETE|/v1/aggregate|POST",
      "POST|/v1/feeds|GET, HEAD",
      "PATCH|/v1/feeds/plain|GET, HEAD, PUT, DELETE",
      "POST|/v1/feeds/plain/|GET, HEAD, PUT, DELETE",
      "PUT|/v1/feeds/plain/aggregate|GET, HEAD, POST",
      "DELETE|/v1/feeds/plain/events|GET, HEAD",
      "POST|/v1/circuits|GET, HEAD",
      "DELETE|/v1/cluster|GET, HEAD"})
  void every405ListsTheMethodsThePathAccepts(String method, String path, String allow) {
    HttpResponse<Buffer> res = fixture.fanin().client.request(HttpMethod.valueOf(method), path)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")).await();
    assertEquals(405, res.statusCode(), method + " " + path);
    assertEquals(allow, res.getHeader("Allow"), method + " " + path);
    if (!method.equals("HEAD")) {
      JsonObject problem = BadInputTest.assertProblem(res, 405);
      assertEquals("This path does not accept " + method + "; it accepts " + allow + ".", problem.getString("detail"));
    }
  }

  @Test
  void unknownPathsHaveNoAllow() {
    HttpResponse<Buffer> res = fixture.fanin().client.request(HttpMethod.DELETE, "/nowhere").send().await();
    BadInputTest.assertProblem(res, 404);
    assertNull(res.getHeader("Allow"));
  }

  @Test
  void allowIsReadFromTheRoutesSoANewRouteIsCoveredByItself() {
    io.vertx.ext.web.Router router = io.vertx.ext.web.Router.router(fixture.vertx());
    router.get("/a/:id").handler(ctx -> ctx.end());
    router.put("/a/:id").handler(ctx -> ctx.end());
    router.route("/b/*").method(HttpMethod.POST).handler(ctx -> ctx.end());
    router.route("/a/*").handler(ctx -> ctx.next());
    RouteMethods.serveHeadWhereGetIs(router);
    assertEquals(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT), RouteMethods.allowedAt(router, "/a/1"));
    assertEquals(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT), RouteMethods.allowedAt(router, "/a/1/"));
    assertEquals(List.of(), RouteMethods.allowedAt(router, "/a/1/2"));
    assertEquals(List.of(HttpMethod.POST), RouteMethods.allowedAt(router, "/b/c/d"));
    assertTrue(RouteMethods.served(router).containsAll(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST)));
  }
}
