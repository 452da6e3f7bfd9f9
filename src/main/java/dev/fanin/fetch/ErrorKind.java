package dev.fanin.fetch;

/** Why a source failed, as reported in its result's error.kind. */
public enum ErrorKind {
  TIMEOUT("timeout"),
  CONNECT("connect"),
  HTTP("http"),
  CIRCUIT_OPEN("circuit_open"),
  TOO_LARGE("too_large"),
  INVALID_BODY("invalid_body"),
  /** The upstream's answer broke HTTP (a head over the client's limits, an encoding not asked for). */
  INVALID_RESPONSE("invalid_response"),
  REJECTED("rejected"),
  /**
   * The origin's pace (an operator's rule, the definition's rate, a pause the origin asked for, a
   * daily budget, a soft limit in its answer) did not allow the request within the deadline.
   */
  RATE_LIMITED("rate_limited"),
  CANCELLED("cancelled"),
  /** A source that waited for others' results did not run: one failed, or had no value where pointed. */
  SKIPPED("skipped");

  private final String wireName;

  ErrorKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON results. */
  public String wireName() {
    return wireName;
  }
}
