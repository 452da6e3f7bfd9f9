package dev.fanin.feedwrite;

/** The feed formats a merged timeline is written in, with their media types. */
public enum FeedFormat {
  ATOM("application/atom+xml; charset=utf-8"),
  JSON_FEED("application/feed+json; charset=utf-8"),
  RSS("application/rss+xml; charset=utf-8");

  private final String mediaType;

  FeedFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }
}
