package dev.fanin.fetch;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The HTTP exchanges one source really sent, attempt by attempt, as HttpFetcher saw them: for a HAR
 * answer (docs/api.md, "HAR export"). A context records them only when its run asks for them, so
 * every other run pays a null check. Confined to the source's event loop, like its timings; a copy
 * sent from another lane records into its own log, absorbed back. Bounded: one exchange per attempt,
 * and attempts are bounded by retries and redirects; a body only when asked for, bounded by the
 * source's body limit.
 */
public final class Exchanges {
  /** Whether a run's sources record their exchanges, and with their bodies. */
  public enum Recording { OFF, WITHOUT_BODIES, WITH_BODIES }

  private final boolean bodies;
  private final List<Exchange> list = new ArrayList<>(2);

  /** @param bodies whether response and request bodies are kept (?bodies=true) */
  public Exchanges(boolean bodies) {
    this.bodies = bodies;
  }

  /** A new log for one source, or null when the run records nothing. */
  public static Exchanges of(Recording recording) {
    return recording == Recording.OFF ? null : new Exchanges(recording == Recording.WITH_BODIES);
  }

  public boolean bodies() {
    return bodies;
  }

  /** The exchanges in the order they were sent. */
  public List<Exchange> list() {
    return Collections.unmodifiableList(list);
  }

  /** An empty log recording the same way, for a copy sent from another lane. */
  Exchanges copy() {
    return new Exchanges(bodies);
  }

  Exchange start(int attempt, long startedAt) {
    Exchange e = new Exchange(attempt, startedAt);
    list.add(e);
    return e;
  }

  /**
   * Adds a hedged race's request's exchanges, whose attempts became this side's attempts from
   * {@code firstAttempt} on (see FetchContext.appendAttempts).
   */
  void append(Exchanges racer, int firstAttempt) {
    for (Exchange e : racer.list) {
      e.attempt = firstAttempt + e.attempt;
      list.add(e);
    }
  }

  /** Adds a lane's exchanges, all made in this side's attempt {@code attempt}. */
  void absorb(Exchanges lane, int attempt) {
    for (Exchange e : lane.list) {
      e.attempt = attempt;
      list.add(e);
    }
  }

  /**
   * One request and what came back. Request fields are set as it is sent; response fields once its
   * head arrives (status 0: no response came).
   */
  public static final class Exchange {
    private int attempt;
    private final long startedAt;
    String method;
    String url;
    String httpVersion = "HTTP/1.1";
    MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
    long requestBodySize;
    String requestContentType;
    Buffer requestBody;
    int status;
    String statusText = "";
    MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
    long wireBodyBytes = -1;
    long contentBytes;
    Buffer responseBody;

    Exchange(int attempt, long startedAt) {
      this.attempt = attempt;
      this.startedAt = startedAt;
    }

    /** Its attempt's index into the source's {@link Timings}. */
    public int attempt() {
      return attempt;
    }

    /** When it was sent, epoch ms. */
    public long startedAt() {
      return startedAt;
    }

    public String method() {
      return method;
    }

    public String url() {
      return url;
    }

    /** HTTP/1.0, HTTP/1.1 or HTTP/2.0: the response's, else the request's. */
    public String httpVersion() {
      return httpVersion;
    }

    /** The headers the request carried, fanin's own included (Host and Content-Length are Vert.x's). */
    public MultiMap requestHeaders() {
      return requestHeaders;
    }

    public long requestBodySize() {
      return requestBodySize;
    }

    public String requestContentType() {
      return requestContentType;
    }

    /** The request body when bodies are kept, else null. */
    public Buffer requestBody() {
      return requestBody;
    }

    /** The response status, 0 when no response head arrived. */
    public int status() {
      return status;
    }

    public String statusText() {
      return statusText;
    }

    /** The response headers as they arrived (before any content decoding). */
    public MultiMap responseHeaders() {
      return responseHeaders;
    }

    /** Body bytes received on the wire (before decoding), -1 when no response head arrived. */
    public long wireBodyBytes() {
      return wireBodyBytes;
    }

    /** The body's length after content decoding, as far as it was read. */
    public long contentBytes() {
      return contentBytes;
    }

    /** The (decoded) response body when bodies are kept and it was read whole, else null. */
    public Buffer responseBody() {
      return responseBody;
    }

    static String version(HttpVersion version) {
      return switch (version) {
        case HTTP_1_0 -> "HTTP/1.0";
        case HTTP_2 -> "HTTP/2.0";
        default -> "HTTP/1.1";
      };
    }
  }
}
