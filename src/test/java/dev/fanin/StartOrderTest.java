package dev.fanin;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.http.ListenException;
import dev.fanin.testing.FaninExtension;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A start binds its port before anything reaches outside the process: no feed runs on a taken port. */
class StartOrderTest {
  @TempDir Path dir;
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withoutFanin();
  HttpServer squatter;

  @BeforeEach
  void takePort() {
    squatter = fixture.vertx().createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1").await();
  }

  /** A scheduled operator feed on the fake upstream, due at once, with fanin on the given port. */
  FaninConfig withScheduledFeed(int port) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("ticker.json"), new JsonObject()
        .put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", fixture.upstream().url("tick=1"))))
        .put("schedule", new JsonObject().put("everyMs", 50)).encode());
    return ConfigLoader.fromJson(new JsonObject()
        .put("http", new JsonObject().put("port", port).put("instances", 2))
        .put("feeds", new JsonObject().put("confDir", conf.toString())
            .put("dataDir", dir.resolve("data").toString()).put("minScheduleMs", 50)));
  }

  @Test
  void aTakenPortFailsTheStartNamingTheAddressAndNoFeedRuns() throws Exception {
    int taken = squatter.actualPort();
    Fanin fanin = new Fanin(fixture.vertx(), withScheduledFeed(taken));
    Future<Fanin> started = fanin.start();
    assertTrue(eventually(10_000, started::isComplete), "the start did not end");
    assertTrue(started.failed(), "started on a taken port");
    ListenException cannotListen = assertInstanceOf(ListenException.class, started.cause());
    assertEquals("cannot listen on 127.0.0.1:" + taken + ": address already in use", cannotListen.getMessage());
    assertEquals(0, fanin.port(), "nothing listens");
    // the feed is due 1 ms after the registry loaded it and every 50 ms after: give a run time to show
    Thread.sleep(500);
    assertEquals(0, fixture.upstream().requests.get(), "a scheduled feed ran although fanin could not listen");
  }

  @Test
  void theSameFeedRunsOnceThePortIsBound() throws Exception {
    // the other half of the test above: the feed is valid and due, so its silence there is the start order's
    Fanin fanin = new Fanin(fixture.vertx(), withScheduledFeed(0));
    fanin.start().await();
    assertTrue(fanin.port() > 0);
    assertTrue(eventually(5_000, () -> fixture.upstream().requests.get() > 0), "the scheduled feed never ran");
    fanin.stop().await();
  }
}
