package dev.fanin.write;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.Exchange;
import dev.fanin.testing.Results;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** NDJSON and SSE: each result written the moment it comes, then the summary; its bytes released once written. */
@ExtendWith(VertxExtension.class)
class StreamWriterTest {
  static final SourceResult A = Results.ok("a", "{\"n\":1}");
  static final SourceResult B = Results.failed("b", ErrorKind.TIMEOUT, "too slow");
  Vertx vertx;
  Exchange exchange;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    exchange = Exchange.open(vertx, HttpMethod.POST);
  }

  @AfterEach
  void close() {
    exchange.close();
  }

  StreamWriter opened(StreamFormat format) {
    StreamWriter writer = new StreamWriter(vertx, exchange.response(), format, 5_000);
    exchange.on(() -> {
      writer.prepare();
      writer.open();
    });
    return writer;
  }

  static String line(SourceResult r) {
    return ResultJson.append(ResultJson.sized(r), r, "result").toString();
  }

  @Test
  void ndjsonSendsEachResultAsALineAtOnceThenTheSummary() throws Exception {
    StreamWriter writer = opened(StreamFormat.NDJSON);
    HttpClientResponse head = exchange.head();
    assertEquals(200, head.statusCode());
    assertEquals("application/x-ndjson", head.getHeader("Content-Type"));
    assertEquals("no-cache", head.getHeader("Cache-Control"));
    assertEquals("no", head.getHeader("X-Accel-Buffering"));
    assertEquals("chunked", head.getHeader("Transfer-Encoding"));

    exchange.on(() -> writer.onResult(0, A));
    assertTrue(eventually(5_000, () -> exchange.received().equals(line(A) + "\n")),
        "the first result was not sent before the stream ended: " + exchange.received());
    exchange.on(() -> writer.onResult(1, B));
    exchange.on(() -> writer.finish(Results.summary(1, 1, null)));
    String summary = ResultJson.summary(Results.summary(1, 1, null)).toString();
    assertEquals(line(A) + "\n" + line(B) + "\n" + summary + "\n", exchange.body());
    writer.done().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("result", new JsonObject(line(A)).getString("type"));
  }

  @Test
  void sseSendsTheSameJsonAsEvents() throws Exception {
    StreamWriter writer = opened(StreamFormat.SSE);
    assertEquals("text/event-stream; charset=utf-8", exchange.head().getHeader("Content-Type"));
    exchange.on(() -> writer.onResult(0, A));
    exchange.on(() -> writer.finish(Results.summary(1, 0, null)));
    String summary = ResultJson.summary(Results.summary(1, 0, null)).toString();
    assertEquals("event: result\ndata: " + line(A) + "\n\nevent: summary\ndata: " + summary + "\n\n",
        exchange.body());
  }

  @Test
  void aResultsBytesGoBackToTheBudgetOnceItIsWritten() throws Exception {
    ByteBudget budget = new ByteBudget(10_000);
    budget.take(A.data().size()); // the aggregation holds the body until the writer has it
    StreamWriter writer = opened(StreamFormat.NDJSON);
    exchange.on(() -> {
      writer.attach(budget);
      writer.onResult(0, A);
      writer.finish(Results.summary(1, 0, null));
    });
    exchange.body();
    writer.done().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(eventually(5_000, () -> budget.remaining() == 10_000), "the budget holds " + budget.remaining());
  }

  @Test
  void afterTheClientLeftNothingIsWrittenAndTheBytesGoBack() throws Exception {
    ByteBudget budget = new ByteBudget(10_000);
    budget.take(A.data().size());
    StreamWriter writer = opened(StreamFormat.NDJSON);
    exchange.head();
    exchange.hangUp();
    assertTrue(eventually(5_000, () -> exchange.response().closed()));
    exchange.on(() -> {
      writer.attach(budget);
      writer.onResult(0, A);
    });
    assertEquals(10_000, budget.remaining());
    exchange.on(() -> writer.finish(Results.summary(1, 0, null)));
    writer.done().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
