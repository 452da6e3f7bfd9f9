package dev.fanin.write;

import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Sends each result, as it completes, to an event-bus address (the same JSON as an NDJSON line). */
public final class BusStreamWriter implements ResultListener {
  private final EventBus bus;
  private final String address;

  public BusStreamWriter(EventBus bus, String address) {
    this.bus = bus;
    this.address = address;
  }

  @Override
  public void onResult(int index, SourceResult result) {
    bus.send(address, new JsonObject(ResultJson.append(Buffer.buffer(), result, "result")));
  }

  @Override
  public boolean retainsResults() {
    return false;
  }
}
