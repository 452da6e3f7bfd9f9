package dev.fanin.write;

/** The response formats of an aggregation: three streams, or one document written at its end (JSON, HAR). */
public enum StreamFormat {
  JSON("application/json"),
  NDJSON("application/x-ndjson"),
  SSE("text/event-stream"),
  HAR(HarDocument.MEDIA_TYPE);

  private final String mediaType;

  StreamFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** Whether the answer is one document written once every source is done (else a stream). */
  public boolean whole() {
    return this == JSON || this == HAR;
  }
}
