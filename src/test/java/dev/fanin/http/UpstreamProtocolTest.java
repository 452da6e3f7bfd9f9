package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstreams that answer outside the protocol, or in encodings fanin did not ask for: each source
 * ends with a clear kind, and the origin's breaker hears only of what speaks to its health.
 */
class UpstreamProtocolTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("breaker", new JsonObject().put("maxFailures", 2))
      .put("source", new JsonObject().put("maxBodyBytes", 1_000_000)))
      .upstreams(0);
  static NetServer raw;

  @BeforeAll
  static void startRawUpstream() {
    raw = fixture.vertx().createNetServer().connectHandler(UpstreamProtocolTest::answer);
    raw.listen(0, "127.0.0.1").await();
  }

  /** Reads the request line and answers as its path says. */
  static void answer(NetSocket socket) {
    StringBuilder head = new StringBuilder();
    socket.handler(data -> {
      head.append(data.toString(StandardCharsets.ISO_8859_1));
      int end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      String path = head.substring(head.indexOf(" ") + 1, head.indexOf(" ", head.indexOf(" ") + 1));
      socket.write(response(path)).onComplete(v -> socket.close());
    });
  }

  static Buffer response(String path) {
    if (path.startsWith("/huge-header")) {
      return Buffer.buffer("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(20_000) + "\r\nContent-Length: 2\r\n\r\n{}");
    }
    if (path.startsWith("/escape")) {
      return Buffer.buffer("HTTP/1.1 500 \u001b[31mBAD\u001b[0m\r\nContent-Length: 2\r\n\r\n{}");
    }
    if (path.startsWith("/bad-port")) {
      return Buffer.buffer("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999/x\r\nContent-Length: 0\r\n\r\n");
    }
    if (path.startsWith("/snappy")) {
      return Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: snappy\r\n"
          + "Content-Length: 7\r\n\r\n\u0005\u0010{\"a\":1}");
    }
    if (path.startsWith("/gzip") || path.startsWith("/deflate") || path.startsWith("/bomb")) {
      byte[] json = path.startsWith("/bomb")
          ? ("{\"pad\":\"" + "0".repeat(5_000_000) + "\"}").getBytes(StandardCharsets.UTF_8)
          : "{\"packed\":true}".getBytes(StandardCharsets.UTF_8);
      byte[] packed = compress(json, !path.startsWith("/deflate"));
      Buffer b = Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: "
          + (path.startsWith("/deflate") ? "deflate" : "gzip") + "\r\nContent-Length: " + packed.length + "\r\n\r\n");
      return b.appendBytes(packed);
    }
    return Buffer.buffer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }

  static byte[] compress(byte[] data, boolean gzip) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (var z = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
        z.write(data);
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + raw.actualPort() + path;
  }

  String origin() {
    return "http://127.0.0.1:" + raw.actualPort();
  }

  JsonObject only(String path) {
    return ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", url(path)))));
  }

  @Test
  void anOversizedResponseHeadIsAnInvalidResponseAndNotTheOriginsFailure() {
    for (int i = 0; i < 4; i++) {
      JsonObject result = only("/huge-header?i=" + i);
      assertEquals("invalid_response", result.getJsonObject("error").getString("kind"), result.encode());
    }
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
  }

  @Test
  void aRedirectToAnImpossiblePortIsRefusedWithoutABreaker() {
    JsonObject result = only("/bad-port");
    assertEquals("rejected", result.getJsonObject("error").getString("kind"), result.encode());
    assertFalse(fixture.fanin().fanin.breakers().snapshot().containsKey("http://127.0.0.1:99999"));
  }

  @Test
  void onlyTheEncodingsFaninAsksForAreDecoded() {
    JsonObject gzip = only("/gzip");
    assertEquals(true, gzip.getJsonObject("data").getBoolean("packed"), gzip.encode());
    JsonObject deflate = only("/deflate");
    assertEquals(true, deflate.getJsonObject("data").getBoolean("packed"), deflate.encode());
    JsonObject snappy = only("/snappy");
    assertEquals("invalid_response", snappy.getJsonObject("error").getString("kind"), snappy.encode());
    assertTrue(snappy.getJsonObject("error").getString("message").contains("snappy"), snappy.encode());
  }

  @Test
  void aStatusLineWithTerminalEscapesIsAnHttpError() {
    JsonObject result = only("/escape");
    assertEquals(500, result.getInteger("httpStatus"), result.encode());
  }

  @Test
  void aCompressedBodyIsBoundedByItsDecompressedSize() {
    JsonObject bomb = only("/bomb");
    assertEquals("too_large", bomb.getJsonObject("error").getString("kind"), bomb.encode());
  }
}
