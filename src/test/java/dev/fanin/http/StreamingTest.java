package dev.fanin.http;

import dev.fanin.testing.Eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** NDJSON and SSE deliver each source the moment it completes. */
class StreamingTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults();
  static HttpClient http;

  @BeforeAll
  static void startClient() {
    http = fixture.vertx().createHttpClient();
  }

  @AfterAll
  static void stopClient() {
    http.close().await();
  }

  record Line(long atMs, String text) {}

  /** Posts a definition and records each line of the answer with the time it arrived. */
  static List<Line> stream(JsonObject def, String accept, String query, StringBuilder contentType) throws Exception {
    List<Line> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(fixture.fanin().fanin.port()).setURI("/v1/aggregate" + query)
        .putHeader("Content-Type", "application/json");
    if (accept != null) {
      options.putHeader("Accept", accept);
    }
    // the response's handlers are set from a listener registered on the request's own loop before it is
    // sent: a listener added from the test thread runs later, as a task, and a short answer can have
    // ended by then (IllegalStateException from handler(), and the test waits for an end that came)
    http.request(options).compose(req -> {
      req.response().onSuccess(res -> {
        contentType.append(res.getHeader("Content-Type")).append(' ').append(res.statusCode());
        RecordParser parser = RecordParser.newDelimited("\n", (Buffer line) ->
            lines.add(new Line((System.nanoTime() - start) / 1_000_000, line.toString())));
        res.handler(parser);
        res.endHandler(v -> done.complete(null));
      });
      return req.send(def.toBuffer());
    }).onFailure(done::completeExceptionally);
    done.get(10, TimeUnit.SECONDS);
    return lines;
  }

  @Test
  void ndjsonSendsTheFastSourceBeforeTheSlowOnesFinish() throws Exception {
    fixture.fanin().aggregate(definition(source("warm", fixture.upstream().url(""))));
    JsonObject def = definition(
        source("slow1", fixture.upstream().url("delay=1500")),
        source("fast", fixture.upstream().url("delay=50")),
        source("slow2", fixture.upstream().url("delay=1500")),
        source("broken", fixture.upstream().url("status=500")));
    StringBuilder type = new StringBuilder();
    List<Line> lines = stream(def, "application/x-ndjson", "", type);
    assertTrue(type.toString().startsWith("application/x-ndjson 200"), type.toString());
    assertEquals(5, lines.size());
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonObject line = new JsonObject(lines.get(i).text());
      assertEquals("result", line.getString("type"));
      order.add(line.getString("id"));
    }
    assertEquals(List.of("broken", "fast"), order.subList(0, 2));
    long fastAt = lines.get(1).atMs();
    assertTrue(fastAt < 1000, "the fast source's line came at " + fastAt + " ms");
    assertTrue(lines.get(4).atMs() >= 1500);
    JsonObject summary = new JsonObject(lines.get(4).text());
    assertEquals("summary", summary.getString("type"));
    assertEquals(false, summary.getBoolean("complete"));
    assertEquals(3, summary.getInteger("ok"));
    assertEquals(1, summary.getInteger("failed"));
  }

  @Test
  void streamQueryParameterSelectsNdjsonWithoutAnAcceptHeader() throws Exception {
    StringBuilder type = new StringBuilder();
    List<Line> lines = stream(definition(source("a", fixture.upstream().url(""))), null, "?stream=ndjson", type);
    assertTrue(type.toString().startsWith("application/x-ndjson"));
    assertEquals(2, lines.size());
  }

  @Test
  void sseFramesEachResultAsANamedEvent() throws Exception {
    StringBuilder type = new StringBuilder();
    List<Line> lines = stream(definition(
        source("a", fixture.upstream().url("delay=10")), source("b", fixture.upstream().url("delay=200"))),
        "text/event-stream", "", type);
    assertTrue(type.toString().startsWith("text/event-stream"), type.toString());
    // event: result / data: {...} / blank, twice, then the summary event
    List<String> text = lines.stream().map(Line::text).toList();
    assertEquals(9, text.size(), text.toString());
    for (int i = 0; i < 3; i++) {
      String event = text.get(i * 3);
      String data = text.get(i * 3 + 1);
      assertEquals(i < 2 ? "event: result" : "event: summary", event);
      assertTrue(data.startsWith("data: {"), data);
      JsonObject json = new JsonObject(data.substring("data: ".length()));
      assertEquals(i < 2 ? "result" : "summary", json.getString("type"));
      assertEquals("", text.get(i * 3 + 2));
    }
    assertEquals("a", new JsonObject(text.get(1).substring(6)).getString("id"));
  }

  @Test
  void aPrettyPrintedUpstreamAnswerStaysOnOneLineOfTheStream() throws Exception {
    String pretty = URLEncoder.encode("{\n  \"a\": [1,\r\n  2],\n  \"s\": \"x y\"\n}\n",
        StandardCharsets.UTF_8);
    List<Line> ndjson = stream(definition(source("p", fixture.upstream().url("body=" + pretty))), "application/x-ndjson", "",
        new StringBuilder());
    assertEquals(2, ndjson.size(), ndjson.toString());
    JsonObject data = new JsonObject(ndjson.get(0).text()).getJsonObject("data");
    assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(2)).put("s", "x y"), data);
    List<String> sse = stream(definition(source("p", fixture.upstream().url("body=" + pretty))), "text/event-stream", "",
        new StringBuilder()).stream().map(Line::text).toList();
    assertEquals(6, sse.size(), sse.toString());
    assertTrue(sse.get(1).startsWith("data: {") && new JsonObject(sse.get(1).substring(6)).containsKey("data"));
  }

  @Test
  void aClientThatLeavesCancelsTheUpstreamRequests() throws Exception {
    fixture.upstream().resetCounters();
    CompletableFuture<Void> firstLine = new CompletableFuture<>();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(fixture.fanin().fanin.port()).setURI("/v1/aggregate?stream=ndjson")
        .putHeader("Content-Type", "application/json");
    HttpClient own = fixture.vertx().createHttpClient();
    JsonObject def = definition(source("fast", fixture.upstream().url("")),
        source("stuck", fixture.upstream().url("hang=1")).put("timeoutMs", 30_000)).put("deadlineMs", 30_000);
    own.request(options).compose(req -> {
      req.response().onSuccess(res -> res.handler(b -> firstLine.complete(null)));
      return req.send(def.toBuffer());
    });
    firstLine.get(5, TimeUnit.SECONDS);
    assertEquals(1, fixture.upstream().inFlight.get());
    own.close().await();
    assertTrue(Eventually.eventually(2000, () -> fixture.upstream().inFlight.get() == 0),
        "the stuck upstream request kept running after the client left");
  }
}
