package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Misbehaving clients: slowloris, and thousands of idle connections. */
class ConnectionFaultTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject().put("http", new JsonObject()
      .put("instances", 2).put("requestHeadTimeoutMs", 1500)))
      .upstreams(0);
  /** The misbehaving clients' own Vert.x, so that their load is not fanin's event loops'. */
  static Vertx clients;

  @BeforeAll
  static void startClients() {
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stopClients() {
    clients.close().await();
  }

  @Test
  void aClientTricklingItsHeadersIsCutOff() throws Exception {
    NetClient net = clients.createNetClient();
    NetSocket socket = net.connect(fixture.fanin().fanin.port(), "127.0.0.1").await();
    CompletableFuture<Long> closedAt = new CompletableFuture<>();
    long start = System.nanoTime();
    socket.closeHandler(v -> closedAt.complete((System.nanoTime() - start) / 1_000_000));
    long trickle = clients.setPeriodic(200, t -> socket.write("X-Slow: a\r\n"));
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    long closedAfter = closedAt.get(10, TimeUnit.SECONDS);
    clients.cancelTimer(trickle);
    assertTrue(closedAfter >= 1400 && closedAfter < 5000, "closed after " + closedAfter + " ms");
    net.close().await();
  }

  @Test
  void healthAnswersQuicklyWhileTwoThousandConnectionsSitIdle() throws Exception {
    NetClient net = clients.createNetClient(new NetClientOptions().setConnectTimeout(5000));
    List<Future<NetSocket>> sockets = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      sockets.add(net.connect(fixture.fanin().fanin.port(), "127.0.0.1"));
    }
    Future.all(sockets).await();
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/health").send().await().statusCode());
    }
    long perRequest = (System.nanoTime() - start) / 1_000_000 / 20;
    assertTrue(perRequest < 100, "/health took " + perRequest + " ms per request");
    net.close().await();
  }
}
