package dev.fanin.config;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid edits of the config file are applied while running; invalid ones are refused. */
class ConfigWatcherTest {
  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aValidChangeIsAppliedAndAnInvalidOneKeepsTheRunningConfig() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 10}}");
    LiveConfig live = new LiveConfig(ConfigLoader.load(file, Map.of()));
    List<FaninConfig> seen = new CopyOnWriteArrayList<>();
    live.onChange(seen::add);
    ConfigWatcher watcher = new ConfigWatcher(vertx, file, Map.of(), live).start(50);
    Thread.sleep(200);

    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 3}, \"log\": {\"level\": \"DEBUG\"}}");
    assertTrue(eventually(5000, () -> live.get().aggregate().maxSources() == 3));
    assertEquals("DEBUG", live.get().log().level());
    assertEquals(1, seen.size());

    Files.writeString(file, "{\"aggregate\": {\"maxSources\": \"many\"}}");
    Thread.sleep(400);
    assertEquals(3, live.get().aggregate().maxSources(), "an invalid change must not apply");
    assertEquals(1, seen.size());

    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 4}}");
    assertTrue(eventually(5000, () -> live.get().aggregate().maxSources() == 4));
    watcher.stop();
  }

  @Test
  void restartOnlySectionsAreReported() {
    FaninConfig before = ConfigLoader.fromJson(new io.vertx.core.json.JsonObject());
    LiveConfig live = new LiveConfig(before);
    FaninConfig after = ConfigLoader.fromJson(new io.vertx.core.json.JsonObject()
        .put("http", new io.vertx.core.json.JsonObject().put("port", 9999))
        .put("upstream", new io.vertx.core.json.JsonObject().put("maxRedirects", 1)));
    assertEquals(List.of("http"), live.update(after));
    assertEquals(1, live.get().upstream().maxRedirects());
  }
}
