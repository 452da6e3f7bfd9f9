package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With API keys, reading a feed as a feed runs it, so it needs the scope aggregate, as /aggregate does. */
class FeedDocumentsScopeTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("security", new JsonObject().put("apiKeys", new JsonArray()
          .add(new JsonObject().put("id", "runner").put("sha256", sha256("run-secret"))
              .put("scopes", new JsonArray().add("aggregate").add("feeds:write")))
          .add(new JsonObject().put("id", "reader").put("sha256", sha256("read-secret"))
              .put("scopes", new JsonArray().add("feeds:read"))))));

  @Test
  void withKeysReadingAFeedNeedsTheAggregateScope() {
    FaninHarness keyed = fixture.fanin();
    HttpResponse<Buffer> created = keyed.client.put("/v1/feeds/merged").putHeader("Authorization", "Bearer run-secret")
        .putHeader("Content-Type", "application/json").sendBuffer(FeedDocumentsTest.mergedFeed("http://127.0.0.1:" + fixture.upstream().port(), "/k").toBuffer()).await();
    assertEquals(201, created.statusCode(), created.bodyAsString());
    BadInputTest.assertProblem(keyed.client.get("/v1/feeds/merged/feed.atom").send().await(), 401);
    BadInputTest.assertProblem(keyed.client.get("/v1/feeds/merged/feed.atom")
        .putHeader("Authorization", "Bearer read-secret").send().await(), 403);
    assertEquals(200, keyed.client.get("/v1/feeds/merged/feed.atom")
        .putHeader("Authorization", "Bearer run-secret").send().await().statusCode());
  }

  static String sha256(String key) {
    return HexFormat.of().formatHex(dev.fanin.security.ApiKeys.sha256(key));
  }
}
