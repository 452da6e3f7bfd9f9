package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.RawHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET / and /ui/*: the live page's files, public even when API keys are configured. */
class LivePageTest {
  static final List<String> FILES = List.of("index.html", "app.js", "app.css");

  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().upstreams(0);
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    // with a key configured: the page needs none, the API still does
    fanin = fixture.startFanin(new JsonObject().put("security", new JsonObject().put("apiKeys",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "k")
            .put("sha256", "0".repeat(64)).put("scopes", new io.vertx.core.json.JsonArray().add("aggregate"))))));
  }

  HttpResponse<Buffer> get(String path) {
    return fanin.client.request(HttpMethod.GET, path).send().await();
  }

  @Test
  void slashIsThePageWithAStrictContentSecurityPolicy() {
    HttpResponse<Buffer> res = get("/");
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertTrue(res.getHeader("Content-Type").startsWith("text/html"), res.getHeader("Content-Type"));
    String csp = res.getHeader("Content-Security-Policy");
    assertTrue(csp != null && csp.startsWith("default-src 'self'"), String.valueOf(csp));
    assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", res.getHeader("X-Content-Type-Options"));
    assertTrue(res.bodyAsString().contains("<script src=\"/ui/app.js\""), res.bodyAsString());
    // no inline script or style: CSP would block it anyway
    assertTrue(!res.bodyAsString().contains("<script>") && !res.bodyAsString().contains("style="));

    HttpResponse<Buffer> head = fanin.client.request(HttpMethod.HEAD, "/").send().await();
    assertEquals(200, head.statusCode());
    assertTrue(String.valueOf(head.getHeader("Content-Type")).startsWith("text/html"), head.headers().toString());
  }

  @Test
  void theFilesAreServedWithTheirTypesAndRevalidated() {
    HttpResponse<Buffer> js = get("/ui/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.getHeader("Content-Type").matches("(text|application)/javascript.*"), js.getHeader("Content-Type"));
    assertEquals("no-cache", js.getHeader("Cache-Control"));
    assertTrue(js.getHeader("Last-Modified") != null);
    assertNotEquals(null, js.getHeader("Content-Security-Policy"));
    HttpResponse<Buffer> css = get("/ui/app.css");
    assertEquals(200, css.statusCode());
    assertTrue(css.getHeader("Content-Type").startsWith("text/css"), css.getHeader("Content-Type"));
    assertEquals(200, get("/ui/index.html").statusCode());
  }

  @Test
  void theApiStillNeedsItsKey() {
    assertEquals(401, get("/v1/feeds").statusCode());
  }

  @Test
  void unknownFilesAndTraversalAre404ProblemsNotFiles() {
    for (String path : List.of("/ui/nope.js", "/ui/../pom.xml", "/ui/%2e%2e/pom.xml", "/ui/..%2fpom.xml",
        "/ui/%2e%2e/%2e%2e/fanin-defaults.json", "/ui/../fanin-defaults.json", "/nothing-here")) {
      HttpResponse<Buffer> res = get(path);
      assertEquals(404, res.statusCode(), path + ": " + res.bodyAsString());
      assertTrue(res.getHeader("Content-Type").startsWith("application/problem+json"), path);
    }
    // the raw request line, not normalised by a client
    for (String target : List.of("/ui/../../pom.xml", "/ui/%2e%2e/%2e%2e/pom.xml", "/ui/..\\..\\pom.xml")) {
      RawHttp.Exchange raw = RawHttp.exchange(fanin.fanin.port(),
          "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 300);
      int status = raw.responses().get(0).status();
      assertTrue(status == 404 || status == 400, target + ": " + raw.raw());
      assertTrue(!raw.raw().contains("<project"), raw.raw());
    }
  }

  @Test
  void thePageLoadsNothingFromElsewhere() throws IOException {
    Pattern external = Pattern.compile("(https?:)?//[A-Za-z0-9.-]+\\.[A-Za-z]{2,}[^\\s'\"]*");
    for (String file : FILES) {
      String text;
      try (InputStream in = getClass().getResourceAsStream("/ui/" + file)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Matcher m = Pattern.compile("https?://[^\\s'\"`)]+").matcher(text);
      while (m.find()) {
        // only the example definition's demo sources, which fanin itself fetches
        assertTrue(m.group().matches("http://[a-z]+\\.demo\\.localhost/.*"), file + ": " + m.group());
      }
      Matcher protocolRelative = external.matcher(text.replaceAll("http://[a-z]+\\.demo\\.localhost/", ""));
      assertNull(protocolRelative.find() ? protocolRelative.group() : null, file);
      assertTrue(!text.contains("@import"), file);
    }
  }
}
