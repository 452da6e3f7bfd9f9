package dev.fanin.write;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.testing.Results;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each result, as it completes, sent to an event-bus address as the JSON of an NDJSON line. */
@ExtendWith(VertxExtension.class)
class BusStreamWriterTest {
  static final String ADDRESS = "test.results";

  @Test
  void eachResultGoesToTheAddressAsItsResultLinesJson(Vertx vertx) {
    List<Object> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(ADDRESS, m -> received.add(m.body())).completion().await();
    SourceResult a = Results.ok("a", "{\"n\":1}");
    SourceResult b = Results.ok("b", "[2]");
    BusStreamWriter writer = new BusStreamWriter(vertx.eventBus(), ADDRESS);
    writer.onResult(0, a);
    writer.onResult(1, b);
    assertTrue(eventually(5_000, () -> received.size() == 2), "received " + received);
    assertEquals(new JsonObject(ResultJson.append(Buffer.buffer(), a, "result")), received.get(0));
    assertEquals(new JsonObject(ResultJson.append(Buffer.buffer(), b, "result")), received.get(1));
    assertEquals("result", ((JsonObject) received.get(0)).getString("type"));
  }

  @Test
  void aResultsBytesGoBackToTheBudgetOnceTheBusHasIt(Vertx vertx) {
    SourceResult a = Results.ok("a", "{\"n\":1}");
    ByteBudget budget = new ByteBudget(1_000);
    budget.take(a.data().size());
    BusStreamWriter writer = new BusStreamWriter(vertx.eventBus(), ADDRESS);
    writer.attach(budget);
    writer.onResult(0, a);
    assertEquals(1_000, budget.remaining());
  }
}
