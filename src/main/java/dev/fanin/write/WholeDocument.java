package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.ResultListener;
import io.vertx.core.buffer.Buffer;

/** An answer written once every source is done: the aggregate as JSON, or the run as HAR. */
public interface WholeDocument extends ResultListener {
  /** The document; what it collected is released. */
  Buffer encode(AggregateSummary summary);

  /** Its Content-Type. */
  String mediaType();
}
