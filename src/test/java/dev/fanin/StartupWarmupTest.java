package dev.fanin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The start-up warm-up: every shape answers through the private copy, which leaves nothing behind. */
class StartupWarmupTest {
  @Test
  void everyShapeIsServedThroughTheRealIntakeAndNothingIsLeftBehind() throws Exception {
    Set<Path> before = warmupDirs();
    FaninConfig service = ConfigLoader.fromJson(new JsonObject());
    StartupWarmup.Result r = StartupWarmup.run(service, 3_000);
    assertEquals(0, r.failed(), r.toString());
    // every shape answered at least once, however busy the machine (the first client starts with one of each)
    assertEquals(StartupWarmup.definitions(1).size(), r.shapes(), r.toString());
    assertTrue(r.aggregations() >= r.shapes() && r.sources() >= 1000 + 50 + 20 + 20 + 12 + 10 + 4, r.toString());
    assertTrue(r.elapsedMs() >= 3_000 && r.elapsedMs() < 20_000, r.toString());
    assertEquals(before, warmupDirs(), "the warm-up's data directory is deleted");
    assertFalse(StartupWarmup.onWarmupThread());
  }

  @Test
  void theCopyIsLoopbackOnlyWithoutKeysClusterOrTracingAndKeepsTheServicesPools() {
    FaninConfig service = ConfigLoader.fromJson(new JsonObject()
        .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 8080).put("instances", 3))
        .put("client", new JsonObject().put("maxConnectionsPerOrigin", 77))
        .put("cluster", new JsonObject().put("enabled", true))
        .put("tracing", new JsonObject().put("enabled", true)));
    FaninConfig copy = StartupWarmup.config(service, 3, Path.of("/tmp/x"));
    assertEquals("127.0.0.1", copy.http().host());
    assertEquals(0, copy.http().port());
    assertEquals(0, copy.http().warmupMs());
    assertEquals(3, copy.http().instances());
    assertEquals(77, copy.client().maxConnectionsPerOrigin(), "the service's pool when smaller");
    assertEquals(100, StartupWarmup.config(ConfigLoader.fromJson(new JsonObject()), 1, Path.of("/tmp/x"))
        .client().maxConnectionsPerOrigin(), "at most 100 connections");
    assertFalse(copy.cluster().enabled());
    assertFalse(copy.tracing().enabled());
    assertFalse(copy.demo().enabled());
    assertTrue(copy.security().apiKeys().isEmpty());
    assertTrue(copy.feeds().dataDir().startsWith("/tmp/x"));
  }

  @Test
  void theMixHasEveryShapeTheServiceAnswers() {
    List<StartupWarmup.Shape> shapes = StartupWarmup.definitions(1234);
    Set<String> accepts = shapes.stream().map(StartupWarmup.Shape::accept).collect(Collectors.toSet());
    assertEquals(Set.of("application/json", "application/x-ndjson", "text/event-stream"), accepts);
    String all = shapes.stream().map(s -> s.body().toString()).collect(Collectors.joining());
    for (String kind : List.of("/json/", "/rss/", "/atom/", "/feed/", "\"merge\"")) {
      assertTrue(all.contains(kind), kind);
    }
    assertTrue(all.contains("http://127.0.0.1:1234/"), "only the warm-up's own upstream");
    assertEquals(1000, shapes.stream().mapToInt(StartupWarmup.Shape::sources).max().orElse(0));
  }

  private static Set<Path> warmupDirs() throws Exception {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("fanin-warmup")).collect(Collectors.toSet());
    }
  }
}
