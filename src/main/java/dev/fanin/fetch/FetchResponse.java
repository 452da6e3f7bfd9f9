package dev.fanin.fetch;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A complete upstream response of any status; non-2xx is a value, not a failure, at this level. */
public record FetchResponse(int status, MultiMap headers, Buffer body) {
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
