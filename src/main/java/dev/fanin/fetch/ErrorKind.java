package dev.fanin.fetch;

/** Why a source failed, as reported in its result's error.kind. */
public enum ErrorKind {
  TIMEOUT("timeout"),
  CONNECT("connect"),
  HTTP("http"),
  CIRCUIT_OPEN("circuit_open"),
  TOO_LARGE("too_large"),
  INVALID_BODY("invalid_body"),
  REJECTED("rejected"),
  CANCELLED("cancelled");

  private final String wireName;

  ErrorKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON results. */
  public String wireName() {
    return wireName;
  }
}
