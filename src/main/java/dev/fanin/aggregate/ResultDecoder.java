package dev.fanin.aggregate;

import dev.fanin.definition.SourceFormat;
import dev.fanin.definition.SourceSpec;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchResponse;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a successful answer into its result's data, as the source's format says. Feed parsing, and
 * projections of large JSON answers, run on a small worker pool, never on the event loop.
 */
public final class ResultDecoder {
  static final int INLINE_PROJECTION_BYTES = 64 * 1024;
  private final WorkerExecutor workers;
  private final FeedDecoder feeds;

  public ResultDecoder(WorkerExecutor workers, FeedDecoder feeds) {
    this.workers = workers;
    this.feeds = feeds;
  }

  public Future<Decoded> decode(SourceSpec source, FetchResponse response, String url) {
    if (source.method() == HttpMethod.HEAD) {
      return Future.succeededFuture(Decoded.of(null));
    }
    String contentType = response.headers().get("Content-Type");
    Buffer body = response.body();
    try {
      return switch (source.format()) {
        case TEXT -> Future.succeededFuture(Decoded.of(body == null || body.length() == 0 ? null
            : new SourceData.Text(BodyDecoder.text(contentType, body))));
        case FEED -> parseFeed(body, contentType, url);
        case JSON -> project(source, Decoded.of(requireJson(BodyDecoder.decode(contentType, body), body)));
        case AUTO -> feeds.looksLikeFeed(body, contentType)
            ? parseFeed(body, contentType, url).recover(t -> fallback(source, contentType, body, t))
            : project(source, Decoded.of(BodyDecoder.decode(contentType, body)));
      };
    } catch (FetchException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Decoded> parseFeed(Buffer body, String contentType, String url) {
    if (body == null || body.length() == 0) {
      return Future.failedFuture(new FetchException(ErrorKind.INVALID_BODY, "empty body where a feed was expected"));
    }
    return workers.executeBlocking(() -> feeds.decode(body, contentType, url), false);
  }

  /** format auto: what looked like a feed but did not parse is shown as it came, with a note. */
  private Future<Decoded> fallback(SourceSpec source, String contentType, Buffer body, Throwable why) {
    Decoded plain = Decoded.of(BodyDecoder.decodeLeniently(contentType, body));
    List<String> notes = new ArrayList<>(plain.notes());
    notes.add("looked like a feed but did not parse: " + why.getMessage());
    return project(source, new Decoded(plain.data(), List.copyOf(notes), List.of()));
  }

  private static SourceData requireJson(SourceData data, Buffer body) {
    if (data == null || data instanceof SourceData.Json) {
      return data;
    }
    // format json: a body without a JSON Content-Type must still parse as JSON
    return BodyDecoder.decode("application/json", body);
  }

  private Future<Decoded> project(SourceSpec source, Decoded decoded) {
    if (source.projection().isNone()) {
      return Future.succeededFuture(decoded);
    }
    if (!(decoded.data() instanceof SourceData.Json json)) {
      return Future.succeededFuture(new Decoded(decoded.data(),
          List.of("select and fields apply to JSON answers; this one is not JSON"), List.of()));
    }
    if (json.utf8().length() <= INLINE_PROJECTION_BYTES) {
      return Future.succeededFuture(Projections.apply(source.projection(), json));
    }
    return workers.executeBlocking(() -> Projections.apply(source.projection(), json), false);
  }

  static String utf8(Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
