package dev.fanin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fanin.config.ConfigLoader;
import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up's two promises to the service: readiness waits for it while liveness and
 * aggregations do not, and its log lines below WARN are not the service's.
 */
class WarmupReadinessTest {
  @TempDir Path dir;
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withoutFanin();

  @Test
  void readyWaitsForTheWarmUpButLivenessAndAggregationsDoNot() throws Exception {
    int port = FaninHarness.freePort();
    Fanin fanin = new Fanin(fixture.vertx(), ConfigLoader.fromJson(new JsonObject()
        .put("http", new JsonObject().put("port", port).put("instances", 1))
        .put("upstream", new JsonObject().put("allowPrivateNetworks", true))
        .put("feeds", new JsonObject().put("confDir", dir.resolve("conf").toString())
            .put("dataDir", dir.resolve("data").toString()))));
    Promise<Void> warmedUp = Promise.promise();
    fanin.readyAfter(warmedUp.future());
    fanin.start().await();
    WebClient client = WebClient.create(fixture.vertx());
    try {
      assertEquals(503, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
      assertEquals(200, client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
      var res = client.post(port, "127.0.0.1", "/v1/aggregate").putHeader("Content-Type", "application/json")
          .sendJsonObject(FaninHarness.definition(FaninHarness.source("a", fixture.upstream().url("x=1")))).await();
      assertEquals(200, res.statusCode(), res.bodyAsString());
      warmedUp.fail("a failed warm-up still ends in ready");
      assertEquals(200, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
    } finally {
      client.close();
      fanin.stop().await();
    }
  }

  @Test
  void quietDropsOnlyLinesBelowWarnAndOnlyWhereAsked() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.fanin.test.quiet");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    logger.setLevel(Level.INFO);
    boolean[] quiet = {true};
    Runnable loud = Logging.quietWhere(() -> quiet[0]);
    try {
      logger.info("dropped");
      logger.warn("kept: a warning");
      quiet[0] = false;
      logger.info("kept: not the warm-up's");
    } finally {
      loud.run();
      quiet[0] = true;
    }
    logger.info("kept: the filter is gone");
    logger.detachAppender(events);
    assertEquals(List.of("kept: a warning", "kept: not the warm-up's", "kept: the filter is gone"),
        events.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    assertTrue(events.list.stream().noneMatch(e -> e.getFormattedMessage().equals("dropped")));
  }
}
