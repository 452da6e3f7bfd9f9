package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fanin.aggregate.RunInfo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An answer whose writing fails ends with an error, never a response left hanging. */
class UnansweredTest {
  static Vertx vertx;
  static HttpServer server;
  static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/streaming")) {
        req.response().setChunked(true).write("{\"type\":\"result\"}\n");
      }
      AggregateRoute.unanswered(req.response(), RunInfo.anonymous(), new IllegalStateException("boom"));
    });
    server.listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void beforeAnythingWasSentItIsA500Problem() {
    var res = client.get(server.actualPort(), "127.0.0.1", "/document").send().await();
    assertEquals(500, res.statusCode());
    assertEquals(Problems.MEDIA_TYPE, res.getHeader("Content-Type"));
    assertEquals("urn:fanin:problem:internal", new JsonObject(res.bodyAsString()).getString("type"));
  }

  @Test
  void aStreamAlreadyUnderwayIsCut() {
    assertThrows(Exception.class, () -> client.get(server.actualPort(), "127.0.0.1", "/streaming").send().await());
  }
}
