package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests Netty cannot decode never reach a route: they are answered as problem+json naming the
 * limit they broke, and the connection is closed, since what follows on it cannot be trusted.
 */
class UndecodableRequestTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("maxHeaderBytes", 2048)))
      .upstreams(0);

  static JsonObject refused(String request, int status) {
    RawHttp.Exchange exchange = RawHttp.exchange(fixture.fanin().fanin.port(), request
        + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 5_000);
    assertEquals(1, exchange.responses().size(), "the connection must close after the refusal: " + exchange.raw());
    assertTrue(exchange.closedByServer(), exchange.raw());
    RawHttp.Response res = exchange.responses().get(0);
    assertEquals(status, res.status(), exchange.raw());
    assertEquals("application/problem+json", res.header("Content-Type"), exchange.raw());
    assertNotNull(res.header("X-Request-Id"), exchange.raw());
    JsonObject problem = new JsonObject(res.body());
    assertEquals(status, problem.getInteger("status"));
    assertTrue(problem.getString("type").startsWith("urn:fanin:problem:"), problem.encode());
    return problem;
  }

  @Test
  void aRequestLineOverTheLimitIs414NamingIt() {
    String path = "/v1/feeds/x/aggregate?q=" + "a".repeat(HttpVerticle.MAX_REQUEST_LINE_BYTES);
    JsonObject problem = refused("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    assertEquals("urn:fanin:problem:uri-too-long", problem.getString("type"));
    assertTrue(problem.getString("detail").contains(HttpVerticle.MAX_REQUEST_LINE_BYTES + " bytes"), problem.encode());
    // the URL is not echoed back
    assertTrue(problem.encode().length() < 1000, problem.encode());
  }

  @Test
  void headersOverMaxHeaderBytesAre431NamingTheKey() {
    JsonObject problem = refused("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n", 431);
    assertEquals("urn:fanin:problem:headers-too-large", problem.getString("type"));
    assertTrue(problem.getString("detail").contains("2048 bytes (http.maxHeaderBytes)"), problem.encode());
  }

  @Test
  void aGarbledRequestIs400() {
    JsonObject problem = refused("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400);
    assertEquals("urn:fanin:problem:bad-request", problem.getString("type"));
    assertTrue(problem.getString("detail").contains("not valid HTTP/1.1"), problem.encode());
  }

  @Test
  void aWellFormedRequestOnTheSameKindOfConnectionIsServed() {
    RawHttp.Exchange exchange = RawHttp.exchange(fixture.fanin().fanin.port(),
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
    assertEquals(200, exchange.responses().get(0).status(), exchange.raw());
  }
}
