package dev.fanin.testing;

import dev.fanin.Fanin;
import dev.fanin.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Runs a real fanin service in-process on a free loopback port, with a client to call it. */
public final class FaninHarness {
  public final Vertx vertx;
  public final Fanin fanin;
  public final WebClient client;

  public FaninHarness(Vertx vertx, JsonObject configOverrides) {
    this(vertx, configOverrides, dev.fanin.cluster.ClusterView.alone());
  }

  /** On a node of a cluster (see ClusterNodes). */
  public FaninHarness(Vertx vertx, JsonObject configOverrides, dev.fanin.cluster.ClusterView cluster) {
    this(vertx, configOverrides, cluster, dev.fanin.tracing.Tracing.OFF);
  }

  /**
   * With fanin's own spans on {@code tracing}; its Vertx should have been built with the same
   * OpenTelemetry (TracingSetup.install), as Main does.
   */
  public FaninHarness(Vertx vertx, JsonObject configOverrides, dev.fanin.tracing.Tracing tracing) {
    this(vertx, configOverrides, dev.fanin.cluster.ClusterView.alone(), tracing);
  }

  private FaninHarness(Vertx vertx, JsonObject configOverrides, dev.fanin.cluster.ClusterView cluster,
      dev.fanin.tracing.Tracing tracing) {
    this.vertx = vertx;
    JsonObject cfg = configOverrides.copy();
    JsonObject http = cfg.getJsonObject("http", new JsonObject());
    http.put("port", freePort());
    if (!http.containsKey("instances")) {
      http.put("instances", 1);
    }
    cfg.put("http", http);
    // the demo on a port chosen like the API's, not an ephemeral one the kernel might hand out twice
    JsonObject demo = cfg.getJsonObject("demo", new JsonObject());
    if (!demo.containsKey("port")) {
      int demoPort = freePort();
      while (demoPort == http.getInteger("port")) {
        demoPort = freePort();
      }
      demo.put("port", demoPort);
    }
    cfg.put("demo", demo);
    JsonObject feeds = cfg.getJsonObject("feeds", new JsonObject());
    if (!feeds.containsKey("dataDir")) {
      feeds.put("dataDir", tempDir().toString());
    }
    if (!feeds.containsKey("confDir")) {
      feeds.put("confDir", tempDir().resolve("no-conf-feeds").toString());
    }
    cfg.put("feeds", feeds);
    // fake upstreams live on 127.0.0.1; tests of the SSRF guard turn this off again
    JsonObject upstream = cfg.getJsonObject("upstream", new JsonObject());
    if (!upstream.containsKey("allowPrivateNetworks")) {
      upstream.put("allowPrivateNetworks", true);
    }
    cfg.put("upstream", upstream);
    this.fanin = new Fanin(vertx, ConfigLoader.fromJson(cfg), dev.fanin.metrics.FaninMetrics.standalone(), cluster,
        tracing);
    fanin.start().await();
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(fanin.port()).setKeepAlive(false));
  }

  public void stop() {
    client.close();
    fanin.stop().await();
  }

  public HttpResponse<Buffer> aggregate(JsonObject definition) {
    return client.request(HttpMethod.POST, "/v1/aggregate")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(definition.toBuffer()).await();
  }

  public HttpResponse<Buffer> post(String path, String contentType, String accept, Buffer body) {
    var req = client.request(HttpMethod.POST, path);
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    return req.sendBuffer(body).await();
  }

  public static JsonObject source(String id, String url) {
    return new JsonObject().put("id", id).put("url", url);
  }

  public static JsonObject definition(JsonObject... sources) {
    JsonArray list = new JsonArray();
    for (JsonObject s : sources) {
      list.add(s);
    }
    return new JsonObject().put("sources", list);
  }

  /** n sources s0..s{n-1} on one fake upstream, each with the query plus its own i (no two coalesce). */
  public static JsonObject sources(FakeUpstream upstream, int n, String query) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < n; i++) {
      list.add(source("s" + i, upstream.url(query + "&i=" + i)));
    }
    return new JsonObject().put("sources", list);
  }

  private static java.nio.file.Path tempDir() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fanin-test");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
