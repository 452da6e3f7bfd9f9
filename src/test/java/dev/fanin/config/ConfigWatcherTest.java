package dev.fanin.config;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
  void anEditThatKeepsTheSizeAndTheModificationTimeIsApplied() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 10}}");
    LiveConfig live = new LiveConfig(ConfigLoader.load(file, Map.of()));
    // the period fanin runs with: a scan rarely falls between the write and the restored time
    ConfigWatcher watcher = new ConfigWatcher(vertx, file, Map.of(), live).start(1_000);
    watcher.watching().await();
    long size = Files.size(file);
    FileTime modified = Files.getLastModifiedTime(file);

    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 20}}");
    Files.setLastModifiedTime(file, modified);
    assertEquals(size, Files.size(file));
    assertEquals(modified, Files.getLastModifiedTime(file));
    assertTrue(eventually(5000, () -> live.get().aggregate().maxSources() == 20),
        "an edit that keeps the size and the modification time must still apply");
    watcher.stop();
  }

  @Test
  void aFileThatIsNotAJsonObjectIsRefusedOnceInTheWordsOfTheStart() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 10}}");
    LiveConfig live = new LiveConfig(ConfigLoader.load(file, Map.of()));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(ConfigWatcher.class);
    logger.addAppender(logs);
    try {
      ConfigWatcher watcher = new ConfigWatcher(vertx, file, Map.of(), live).start(50);
      watcher.watching().await();

      Files.writeString(file, "{\"aggregate\": ");
      assertTrue(eventually(5000, () -> refusals(logs).size() == 1));
      Thread.sleep(400); // several scans of the same broken file
      assertEquals(List.of("config change in " + file + " refused: --config: " + file + " is not valid JSON at line 1, "
          + "column 15: unexpected end of input: an object is not closed; the running configuration stays"), refusals(logs));

      Files.writeString(file, "[1, 2]");
      assertTrue(eventually(5000, () -> refusals(logs).size() == 2));
      assertTrue(refusals(logs).get(1).contains("--config: " + file + " is not a JSON object;"), refusals(logs).get(1));
      assertEquals(10, live.get().aggregate().maxSources(), "the running configuration stays");

      Files.writeString(file, "{\"aggregate\": {\"maxSources\": 7}}");
      assertTrue(eventually(5000, () -> live.get().aggregate().maxSources() == 7));
      assertEquals(2, refusals(logs).size());
      watcher.stop();
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void theEnvironmentStillOverridesTheFileAfterAChange() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 10}}");
    Map<String, String> env = Map.of("FANIN_AGGREGATE_MAX_IN_FLIGHT", "9",
        "FANIN_HTTP_CORS_ALLOW_ORIGINS", "https://a.example.com, https://b.example.com");
    LiveConfig live = new LiveConfig(ConfigLoader.load(file, env));
    ConfigWatcher watcher = new ConfigWatcher(vertx, file, env, live).start(50);
    watcher.watching().await();

    Files.writeString(file, "{\"aggregate\": {\"maxSources\": 3, \"maxInFlight\": 100}, "
        + "\"http\": {\"cors\": {\"allowOrigins\": [\"*\"]}}}");
    assertTrue(eventually(5000, () -> live.get().aggregate().maxSources() == 3));
    assertEquals(9, live.get().aggregate().maxInFlight());
    assertEquals(List.of("https://a.example.com", "https://b.example.com"), live.get().http().cors().allowOrigins());
    watcher.stop();
  }

  private static List<String> refusals(ListAppender<ILoggingEvent> logs) {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("refused")).toList();
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
