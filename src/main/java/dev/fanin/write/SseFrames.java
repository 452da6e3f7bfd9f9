package dev.fanin.write;

import io.vertx.core.buffer.Buffer;

/** Server-Sent Events framing (the text/event-stream format of the HTML standard). */
public final class SseFrames {
  /** A comment line: keeps idle connections and proxies from timing out, ignored by clients. */
  public static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  private SseFrames() {}

  /** One event; {@code id} may be null. The data is one line of JSON (it holds no raw newline). */
  public static Buffer event(String id, String event, Buffer json) {
    Buffer frame = Buffer.buffer(json.length() + 48 + (id == null ? 0 : id.length()));
    if (id != null) {
      frame.appendString("id: ").appendString(id).appendString("\n");
    }
    return frame.appendString("event: ").appendString(event)
        .appendString("\ndata: ").appendBuffer(json).appendString("\n\n");
  }
}
