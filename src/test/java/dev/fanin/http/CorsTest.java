package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CORS for browser apps (http.cors.allowOrigins): preflights, exposed headers, and never a key less. */
class CorsTest {
  static final String APP = "https://app.example.com";
  static final String DEV = "http://localhost:3000";
  static final String EVIL = "https://evil.example.com";

  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().upstreams(0);

  /** Two allowed origins, with API keys. */
  static FaninHarness keyed;
  /** The default: no origins, no CORS. */
  static FaninHarness plain;
  /** "*": any origin. */
  static FaninHarness any;

  static JsonObject key(String id, String secret, String... scopes) {
    return new JsonObject().put("id", id).put("sha256", AccessControlTest.sha256(secret))
        .put("scopes", new JsonArray(List.of((Object[]) scopes)));
  }

  static JsonObject cors(String... origins) {
    return new JsonObject().put("cors", new JsonObject().put("allowOrigins", new JsonArray(List.of((Object[]) origins))));
  }

  @BeforeAll
  static void startFanins() {
    keyed = fixture.startFanin(new JsonObject()
        .put("http", cors(APP, DEV))
        .put("security", new JsonObject().put("requestsPerSecondPerKey", 1).put("burstPerKey", 5)
            .put("apiKeys", new JsonArray()
                .add(key("reader", "read-secret", "feeds:read"))
                .add(key("runner", "run-secret", "aggregate"))
                .add(key("hasty", "hasty-secret", "feeds:read")))));
    plain = fixture.startFanin(new JsonObject());
    any = fixture.startFanin(new JsonObject().put("http", cors("*")));
  }

  static HttpResponse<Buffer> preflight(FaninHarness fanin, String path, String origin, String method, String headers) {
    HttpRequest<Buffer> req = fanin.client.request(HttpMethod.OPTIONS, path)
        .putHeader("Origin", origin).putHeader("Access-Control-Request-Method", method);
    if (headers != null) {
      req.putHeader("Access-Control-Request-Headers", headers);
    }
    return req.send().await();
  }

  static HttpResponse<Buffer> get(FaninHarness fanin, String path, String origin, String key) {
    HttpRequest<Buffer> req = fanin.client.request(HttpMethod.GET, path).putHeader("Origin", origin);
    if (key != null) {
      req.putHeader("Authorization", "Bearer " + key);
    }
    return req.send().await();
  }

  static Set<String> list(String header) {
    assertNotNull(header);
    return Arrays.stream(header.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  static List<String> corsHeaders(HttpResponse<Buffer> res) {
    return res.headers().names().stream().filter(n -> n.toLowerCase(Locale.ROOT).startsWith("access-control-")).toList();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() {
    for (String origin : List.of(APP, DEV)) {
      HttpResponse<Buffer> res = preflight(keyed, "/v1/feeds/x", origin, "PUT", "authorization, content-type, if-match");
      assertEquals(204, res.statusCode(), res.bodyAsString());
      assertEquals(origin, res.getHeader("Access-Control-Allow-Origin"));
      assertTrue(list(res.getHeader("Access-Control-Allow-Methods")).containsAll(
          Set.of("get", "head", "post", "put", "delete")), res.getHeader("Access-Control-Allow-Methods"));
      assertTrue(list(res.getHeader("Access-Control-Allow-Headers")).containsAll(CrossOrigin.REQUEST_HEADERS.stream()
          .map(h -> h.toLowerCase(Locale.ROOT)).toList()), res.getHeader("Access-Control-Allow-Headers"));
      assertEquals(String.valueOf(CrossOrigin.PREFLIGHT_MAX_AGE_SECONDS), res.getHeader("Access-Control-Max-Age"));
    }
  }

  @Test
  void aDisallowedOriginGetsNoCorsHeaders() {
    HttpResponse<Buffer> pre = preflight(keyed, "/v1/feeds/x", EVIL, "PUT", "authorization");
    assertEquals(List.of(), corsHeaders(pre));
    assertNotEquals(204, pre.statusCode());
    // nor does an origin that differs only in scheme, port or case
    for (String origin : List.of("http://app.example.com", "https://app.example.com:8443", "http://localhost:3001")) {
      assertEquals(List.of(), corsHeaders(preflight(keyed, "/v1/feeds", origin, "GET", null)), origin);
    }
    HttpResponse<Buffer> health = get(keyed, "/health", EVIL, null);
    assertEquals(200, health.statusCode(), "a disallowed origin is answered as without CORS, not refused");
    assertEquals(List.of(), corsHeaders(health));
    assertTrue(list(health.getHeader("Vary")).contains("origin"), health.headers().toString());
  }

  @Test
  void aCrossOriginRequestStillNeedsItsKeyAndItsRefusalsAreReadable() {
    HttpResponse<Buffer> noKey = get(keyed, "/v1/feeds", APP, null);
    BadInputTest.assertProblem(noKey, 401);
    assertEquals(APP, noKey.getHeader("Access-Control-Allow-Origin"));
    assertTrue(noKey.getHeader("WWW-Authenticate").startsWith("Bearer"));
    assertTrue(list(noKey.getHeader("Access-Control-Expose-Headers")).containsAll(CrossOrigin.EXPOSED_HEADERS.stream()
        .map(h -> h.toLowerCase(Locale.ROOT)).toList()), noKey.getHeader("Access-Control-Expose-Headers"));

    HttpResponse<Buffer> wrongScope = get(keyed, "/v1/feeds", APP, "run-secret");
    BadInputTest.assertProblem(wrongScope, 403);
    assertEquals(APP, wrongScope.getHeader("Access-Control-Allow-Origin"));

    HttpResponse<Buffer> ok = get(keyed, "/v1/feeds", DEV, "read-secret");
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(DEV, ok.getHeader("Access-Control-Allow-Origin"));
    assertNotNull(ok.getHeader("Access-Control-Expose-Headers"));
  }

  @Test
  void aKeyOverItsRateIsRefusedReadably() {
    HttpResponse<Buffer> res = null;
    for (int i = 0; i < 20 && (res == null || res.statusCode() != 429); i++) {
      res = get(keyed, "/v1/feeds", APP, "hasty-secret");
    }
    BadInputTest.assertProblem(res, 429);
    assertEquals(APP, res.getHeader("Access-Control-Allow-Origin"));
    assertNotNull(res.getHeader("Retry-After"));
    assertTrue(list(res.getHeader("Access-Control-Expose-Headers")).contains("retry-after"));
  }

  @Test
  void withNoOriginsConfiguredThereIsNoCorsAtAll() {
    HttpResponse<Buffer> pre = preflight(plain, "/v1/feeds", APP, "GET", "authorization");
    assertEquals(List.of(), corsHeaders(pre));
    assertEquals(405, pre.statusCode(), "OPTIONS is not served without CORS");
    HttpResponse<Buffer> health = get(plain, "/health", APP, null);
    assertEquals(200, health.statusCode());
    assertEquals(List.of(), corsHeaders(health));
  }

  @Test
  void aStarAllowsAnyOrigin() {
    HttpResponse<Buffer> pre = preflight(any, "/v1/aggregate", "https://anything.example.org", "POST", "content-type");
    assertEquals(204, pre.statusCode());
    assertEquals("*", pre.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> health = get(any, "/health", "http://127.0.0.1:5173", null);
    assertEquals("*", health.getHeader("Access-Control-Allow-Origin"));
    // an Origin that is no origin gets no CORS headers, and is not refused
    HttpResponse<Buffer> odd = get(any, "/health", "null", null);
    assertEquals(200, odd.statusCode());
    assertEquals(List.of(), corsHeaders(odd));
  }
}
