package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started by bin/fanin exactly as the README and the Dockerfile do. */
class ServiceE2ETest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theReadmeExampleWorksAgainstTheDemoUpstream() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of())) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      // as shipped: the demo is named, not addressed by fanin's port
      String definition = Files.readString(ServiceProcess.HOME.resolve("conf/examples/markets.json"));
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(definition)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode(), res.body());
      JsonObject body = new JsonObject(res.body());
      assertTrue(body.getBoolean("complete"), res.body());
      JsonObject btc = body.getJsonObject("results").getJsonObject("btc");
      assertEquals("BTC", btc.getJsonObject("data").getString("symbol"));
      assertTrue(fanin.output().contains("fanin listening on http://127.0.0.1:" + port), fanin.output());

      HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
          .header("Content-Type", "application/json").header("Accept", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofString(definition)).build(), HttpResponse.BodyHandlers.ofString());
      String[] lines = stream.body().split("\n");
      assertEquals(body.getJsonObject("results").size() + 1, lines.length);
      assertEquals("summary", new JsonObject(lines[lines.length - 1]).getString("type"));

      HttpResponse<String> feed = http.send(HttpRequest.newBuilder(URI.create(fanin.url(
          "/v1/feeds/quotes/aggregate?symbol=ETH"))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, feed.statusCode(), feed.body());
      assertEquals("ETH", new JsonObject(feed.body()).getJsonObject("results").getJsonObject("quote")
          .getJsonObject("data").getString("symbol"));
    }
  }

  @Test
  void anInvalidEnvironmentOverrideStopsTheStartWithExitCode2() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_AGGREGATE_MAX_SOURCES", "lots"))) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)));
      String out = fanin.output();
      assertTrue(out.contains("aggregate.maxSources"), out);
      assertEquals(1, out.strip().lines().count(), "expected one line, got:\n" + out);
    }
  }

  @Test
  void aMisspeltEnvironmentVariableStopsTheStartWithExitCode2() throws Exception {
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(), Map.of("FANIN_HTTP_PORTT", "1"))) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)));
      String out = fanin.output();
      assertEquals("fanin: invalid config: FANIN_HTTP_PORTT: unknown environment variable; "
          + "did you mean FANIN_HTTP_PORT?", out.strip());
    }
  }

  @Test
  void anInvalidConfigFileStopsTheStartWithExitCode2(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"http\": {\"port\": 8080, \"hots\": \"0.0.0.0\"}}");
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(), Map.of(),
        "--config", config.toString())) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)));
      assertTrue(fanin.output().contains("http.hots"), fanin.output());
    }
  }

  @Test
  void configFileAndEnvironmentAreBothApplied(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    int port = FaninHarness.freePort();
    Files.writeString(config, "{\"http\": {\"port\": 1}, \"demo\": {\"enabled\": true}}");
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_DEMO_ENABLED", "false"),
        "--config", config.toString())) {
      // the file says port 1, the environment says the free port and wins; the demo is switched off
      fanin.awaitHealthy(Duration.ofSeconds(30));
      String def = "{\"sources\":[{\"id\":\"q\",\"url\":\"http://quotes.demo.localhost/BTC\"}]}";
      HttpResponse<String> demo = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(def)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(502, demo.statusCode(), demo.body());
      assertTrue(demo.body().contains("demo.enabled"), demo.body());
    }
  }
}
