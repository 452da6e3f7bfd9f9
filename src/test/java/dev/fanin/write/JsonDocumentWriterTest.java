package dev.fanin.write;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.Exchange;
import dev.fanin.testing.Results;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole-aggregate answer: one document with its length and Server-Timing, counted until written. */
@ExtendWith(VertxExtension.class)
class JsonDocumentWriterTest {

  /** Writes results b then a (arrival order) for sources a, b (definition order), and finishes. */
  static JsonDocumentWriter answer(Vertx vertx, Exchange exchange, boolean headOnly, ByteBudget budget) {
    JsonDocumentWriter writer = new JsonDocumentWriter(vertx, exchange.response(), 2, 5_000, headOnly);
    exchange.on(() -> {
      writer.attach(budget);
      writer.onResult(1, Results.failed("b", ErrorKind.HTTP, "status 500"));
      writer.onResult(0, Results.ok("a", "[1, 2]"));
      writer.finish(Results.summary(1, 1, null));
    });
    return writer;
  }

  @Test
  void theDocumentGoesOutWholeInDefinitionOrderWithItsLengthAndServerTiming(Vertx vertx) throws Exception {
    try (Exchange exchange = Exchange.open(vertx, HttpMethod.POST)) {
      JsonDocumentWriter writer = answer(vertx, exchange, false, new ByteBudget(100_000));
      HttpClientResponse head = exchange.head();
      String body = exchange.body();
      assertEquals("application/json", head.getHeader("Content-Type"));
      assertEquals(String.valueOf(body.length()), head.getHeader("Content-Length"));
      assertEquals("b;dur=12, a;dur=12, total;dur=42", head.getHeader("Server-Timing"));
      JsonObject document = new JsonObject(body);
      assertEquals(false, document.getBoolean("complete"));
      assertEquals(42, document.getLong("durationMs"));
      assertEquals(List.of("a", "b"), List.copyOf(document.getJsonObject("results").fieldNames()));
      assertTrue(body.contains("\"data\":[1, 2]"), "the upstream JSON is spliced in as it came: " + body);
      writer.done().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHeadGetsTheHeadersOfTheDocumentWithoutIt(Vertx vertx) throws Exception {
    int length;
    try (Exchange get = Exchange.open(vertx, HttpMethod.GET)) {
      answer(vertx, get, false, new ByteBudget(100_000));
      length = get.body().length();
    }
    try (Exchange head = Exchange.open(vertx, HttpMethod.HEAD)) {
      answer(vertx, head, true, new ByteBudget(100_000));
      assertEquals(String.valueOf(length), head.head().getHeader("Content-Length"));
      assertEquals("", head.body());
    }
  }

  @Test
  void theEncodedDocumentCountsAgainstTheAggregationsBudget(Vertx vertx) throws Exception {
    ByteBudget budget = new ByteBudget(100_000);
    try (Exchange exchange = Exchange.open(vertx, HttpMethod.POST)) {
      answer(vertx, exchange, false, budget);
      int length = exchange.body().length();
      assertEquals(100_000 - length, budget.remaining());
    }
  }

  @Test
  void aClientThatLeftGetsNothingAndTheWriterIsDone(Vertx vertx) throws Exception {
    try (Exchange exchange = Exchange.open(vertx, HttpMethod.POST)) {
      ByteBudget budget = new ByteBudget(100_000);
      exchange.hangUp();
      assertTrue(eventually(5_000, () -> exchange.response().closed()));
      JsonDocumentWriter writer = answer(vertx, exchange, false, budget);
      writer.done().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(100_000, budget.remaining(), "no document was encoded for nobody");
    }
  }
}
