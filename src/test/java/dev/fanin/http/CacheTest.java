package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared response cache: freshness, revalidation, stale-if-error, coalescing, keys, bounds. */
class CacheTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("instances", 2))
      .put("cache", new JsonObject().put("maxBytes", 300_000))
      .put("aggregate", new JsonObject().put("maxInFlight", 2000)))
      .upstreams(0);

  @BeforeAll
  static void startUpstream() {
    upstream = fixture.vertx().createHttpServer().requestHandler(CacheTest::handle);
    upstream.listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close().await();
  }
  static HttpServer upstream;
  static final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  static final Map<String, String> lastIfNoneMatch = new ConcurrentHashMap<>();
  static final Map<String, Boolean> failing = new ConcurrentHashMap<>();

  /** Query: cc (Cache-Control), etag, lm (Last-Modified), vary, delay, status, size; path names the counter. */
  static void handle(HttpServerRequest req) {
    String path = req.path();
    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    String inm = req.getHeader("If-None-Match");
    if (inm != null) {
      lastIfNoneMatch.put(path, inm);
    }
    Runnable answer = () -> {
      if (Boolean.TRUE.equals(failing.get(path))) {
        req.response().setStatusCode(503).end("down");
        return;
      }
      var res = req.response();
      String etag = req.getParam("etag");
      String lm = req.getParam("lm");
      if (etag != null && etag.equals(inm) || lm != null && lm.equals(req.getHeader("If-Modified-Since"))) {
        res.setStatusCode(304);
        if (req.getParam("cc") != null) {
          res.putHeader("Cache-Control", req.getParam("cc"));
        }
        res.end();
        return;
      }
      if (req.getParam("cc") != null) {
        res.putHeader("Cache-Control", req.getParam("cc"));
      }
      if (etag != null) {
        res.putHeader("ETag", etag);
      }
      if (lm != null) {
        res.putHeader("Last-Modified", lm);
      }
      if (req.getParam("vary") != null) {
        res.putHeader("Vary", req.getParam("vary"));
      }
      res.setStatusCode(Integer.parseInt(req.getParam("status", "200")));
      int size = Integer.parseInt(req.getParam("size", "0"));
      JsonObject body = new JsonObject().put("n", n).put("auth", req.getHeader("Authorization"))
          .put("lang", req.getHeader("X-Lang")).put("pad", "x".repeat(size));
      res.putHeader("Content-Type", "application/json").end(body.toBuffer());
    };
    int delay = Integer.parseInt(req.getParam("delay", "0"));
    if (delay > 0) {
      fixture.vertx().setTimer(delay, t -> answer.run());
    } else {
      answer.run();
    }
  }

  static String url(String query) {
    String path = "/" + UUID.randomUUID();
    return "http://127.0.0.1:" + upstream.actualPort() + path + "?" + query;
  }

  static String path(String url) {
    return java.net.URI.create(url).getPath();
  }

  static int count(String url) {
    AtomicInteger n = counts.get(path(url));
    return n == null ? 0 : n.get();
  }

  static JsonObject run(JsonObject src) {
    return ResilienceTest.only(fixture.fanin().aggregate(definition(src)));
  }

  @Test
  void aFreshAnswerIsServedFromTheCache() {
    String u = url("cc=max-age%3D60");
    JsonObject first = run(source("s", u));
    JsonObject second = run(source("s", u));
    assertEquals("miss", first.getString("cache"));
    assertEquals("hit", second.getString("cache"));
    assertTrue(second.getLong("ageMs") >= 0);
    assertEquals(first.getJsonObject("data"), second.getJsonObject("data"));
    assertEquals(1, count(u));
  }

  @Test
  void aStaleAnswerIsRevalidatedAndA304RefreshesIt() {
    for (String q : new String[] {"cc=max-age%3D0&etag=%22v1%22", "cc=no-cache&lm=Mon,%2001%20Jan%202024%2000:00:00%20GMT"}) {
      String u = url(q);
      JsonObject first = run(source("s", u));
      JsonObject second = run(source("s", u));
      assertEquals("miss", first.getString("cache"));
      assertEquals("revalidated", second.getString("cache"), second.encode());
      assertEquals(1, second.getJsonObject("data").getInteger("n"), "the stored body is served");
      assertEquals(200, second.getInteger("httpStatus"));
      assertEquals(2, count(u));
    }
    String etagged = url("cc=max-age%3D0&etag=%22v9%22");
    run(source("s", etagged));
    run(source("s", etagged));
    assertEquals("\"v9\"", lastIfNoneMatch.get(path(etagged)));
  }

  @Test
  void aRevalidationCanMakeTheEntryFreshAgain() {
    String u = url("cc=max-age%3D0&etag=%22a%22");
    run(source("s", u));
    // the 304 says max-age=0 too, so each use revalidates: 3 requests for 3 uses
    run(source("s", u));
    run(source("s", u));
    assertEquals(3, count(u));
  }

  @Test
  void theSourceTtlAppliesWhenTheUpstreamSaysNothing() {
    String u = url("");
    run(source("s", u).put("cache", new JsonObject().put("ttlMs", 60_000)));
    assertEquals("hit", run(source("s", u).put("cache", new JsonObject().put("ttlMs", 60_000))).getString("cache"));
    assertEquals(1, count(u));
    String off = url("cc=max-age%3D60");
    run(source("s", off).put("cache", false));
    assertEquals("miss", run(source("s", off).put("cache", false)).getString("cache"));
    assertEquals(2, count(off));
  }

  @Test
  void noStoreAndPrivateAreNeverStored() {
    for (String cc : new String[] {"no-store", "private,%20max-age%3D60"}) {
      String u = url("cc=" + cc);
      JsonObject src = source("s", u).put("cache", new JsonObject().put("ttlMs", 60_000).put("staleIfErrorMs", 60_000));
      run(src);
      assertEquals("miss", run(src).getString("cache"));
      failing.put(path(u), true);
      assertEquals("error", run(src).getString("status"), "no stale answer for " + cc);
      assertEquals(3, count(u));
    }
  }

  @Test
  void aStaleAnswerStandsInWhenTheUpstreamFails() {
    String u = url("cc=max-age%3D0");
    JsonObject src = source("s", u).put("cache", new JsonObject().put("staleIfErrorMs", 60_000));
    assertEquals("ok", run(src).getString("status"));
    failing.put(path(u), true);
    JsonObject stale = run(src);
    assertEquals("ok", stale.getString("status"));
    assertEquals("stale", stale.getString("cache"));
    assertTrue(stale.getLong("ageMs") >= 0);
    assertEquals(1, stale.getJsonObject("data").getInteger("n"));
    JsonObject noWindow = run(source("s", u).put("cache", new JsonObject().put("staleIfErrorMs", 0)));
    assertEquals("error", noWindow.getString("status"));
  }

  @Test
  void credentialsAreNeverShared() {
    String u = url("cc=max-age%3D60");
    JsonObject alice = run(source("s", u).put("headers", new JsonObject().put("Authorization", "Bearer alice")));
    JsonObject bob = run(source("s", u).put("headers", new JsonObject().put("Authorization", "Bearer bob")));
    assertEquals("miss", bob.getString("cache"));
    assertEquals("Bearer bob", bob.getJsonObject("data").getString("auth"));
    JsonObject aliceAgain = run(source("s", u).put("headers", new JsonObject().put("Authorization", "Bearer alice")));
    assertEquals("hit", aliceAgain.getString("cache"));
    assertEquals("Bearer alice", aliceAgain.getJsonObject("data").getString("auth"));
    assertEquals(2, count(u));
    assertEquals(alice.getJsonObject("data"), aliceAgain.getJsonObject("data"));
  }

  @Test
  void varyIsHonoured() {
    String u = url("cc=max-age%3D60&vary=X-Lang");
    JsonObject en = run(source("s", u).put("headers", new JsonObject().put("X-Lang", "en")));
    JsonObject fr = run(source("s", u).put("headers", new JsonObject().put("X-Lang", "fr")));
    assertEquals("fr", fr.getJsonObject("data").getString("lang"));
    assertEquals("miss", fr.getString("cache"));
    JsonObject enAgain = run(source("s", u).put("headers", new JsonObject().put("X-Lang", "en")));
    assertEquals("hit", enAgain.getString("cache"));
    assertEquals("en", enAgain.getJsonObject("data").getString("lang"));
    assertEquals(2, count(u));
    assertEquals(en.getJsonObject("data"), enAgain.getJsonObject("data"));
  }

  @Test
  void simultaneousIdenticalRequestsShareOneUpstreamRequestAndItsFailure() {
    String u = url("delay=1500");
    io.vertx.ext.web.client.WebClient wide = io.vertx.ext.web.client.WebClient.create(fixture.vertx(),
        new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(fixture.fanin().fanin.port()),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1000));
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(wide.request(HttpMethod.POST, "/v1/aggregate").putHeader("Content-Type", "application/json")
          .sendBuffer(definition(source("s", u)).toBuffer()));
    }
    int coalesced = 0;
    for (Future<HttpResponse<Buffer>> f : all) {
      JsonObject r = ResilienceTest.only(f.await());
      assertEquals("ok", r.getString("status"));
      coalesced += r.getString("cache").equals("coalesced") ? 1 : 0;
    }
    assertEquals(1, count(u), "1000 simultaneous aggregations made " + count(u) + " upstream requests");
    assertEquals(999, coalesced);

    String bad = url("delay=300&status=500");
    List<Future<HttpResponse<Buffer>>> failed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failed.add(wide.request(HttpMethod.POST, "/v1/aggregate").putHeader("Content-Type", "application/json")
          .sendBuffer(definition(source("s", bad)).toBuffer()));
    }
    for (Future<HttpResponse<Buffer>> f : failed) {
      assertEquals(500, ResilienceTest.only(f.await()).getInteger("httpStatus"));
    }
    assertEquals(1, count(bad));
    run(source("s", bad));
    assertEquals(2, count(bad), "the next request after a shared failure starts a new fetch");
    wide.close();
  }

  @Test
  void theCacheStaysUnderItsByteBound() {
    for (int i = 0; i < 60; i++) {
      run(source("s", url("cc=max-age%3D600&size=20000")));
    }
    long size = fixture.fanin().fanin.cache().weightedSize();
    assertTrue(size <= 300_000, "cache holds " + size + " bytes");
    assertTrue(size > 100_000, "cache should hold something: " + size);
  }
}
