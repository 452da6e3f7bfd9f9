package dev.fanin.write;

/** The response formats of an aggregation. */
public enum StreamFormat {
  JSON("application/json"),
  NDJSON("application/x-ndjson"),
  SSE("text/event-stream");

  private final String mediaType;

  StreamFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }
}
