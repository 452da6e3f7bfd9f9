package dev.fanin.aggregate;

import io.vertx.core.buffer.Buffer;

/** Parses RSS, Atom, RDF and JSON Feed bodies into the normalised feed data and its items. */
public interface FeedDecoder {
  /** Cheap: whether the Content-Type or first bytes say "feed" (for format auto). */
  boolean looksLikeFeed(Buffer body, String contentType);

  /**
   * Parses a feed. Blocking (CPU only): call it on a worker thread. Throws FetchException
   * (invalid_body) when the body is not a feed.
   */
  Decoded decode(Buffer body, String contentType, String url);
}
