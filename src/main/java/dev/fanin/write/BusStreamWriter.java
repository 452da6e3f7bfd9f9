package dev.fanin.write;

import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.ByteBudget;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Sends each result, as it completes, to an event-bus address (the same JSON as an NDJSON line). */
public final class BusStreamWriter implements ResultListener {
  private final EventBus bus;
  private final String address;
  private ByteBudget budget;

  public BusStreamWriter(EventBus bus, String address) {
    this.bus = bus;
    this.address = address;
  }

  @Override
  public void attach(ByteBudget budget) {
    this.budget = budget;
  }

  @Override
  public void onResult(int index, SourceResult result) {
    bus.send(address, new JsonObject(ResultJson.append(Buffer.buffer(), result, "result")));
    if (budget != null && result.data() != null) {
      budget.giveBack(result.data().size()); // handed to the event bus: no longer this aggregation's
    }
  }
}
