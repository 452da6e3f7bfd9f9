package dev.fanin.fetch;

/** A fetch that produced no usable response; its kind becomes the result's error.kind. */
public final class FetchException extends RuntimeException {
  private final ErrorKind kind;
  private final int httpStatus;
  private final boolean judgesOrigin;

  public FetchException(ErrorKind kind, String message) {
    this(kind, message, 0);
  }

  /** @param httpStatus the status of a response whose head arrived before the fetch failed, or 0 */
  public FetchException(ErrorKind kind, String message, int httpStatus) {
    this(kind, message, httpStatus, true);
  }

  private FetchException(ErrorKind kind, String message, int httpStatus, boolean judgesOrigin) {
    super(message, null, false, false);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.judgesOrigin = judgesOrigin;
  }

  /**
   * A failure that says nothing about the origin's health (fanin's own wait ended, for instance):
   * the origin's breaker never counts it.
   */
  public static FetchException notJudging(ErrorKind kind, String message) {
    return new FetchException(kind, message, 0, false);
  }

  /** Whether the origin's breaker may count this failure (when its kind is one it counts). */
  public boolean judgesOrigin() {
    return judgesOrigin;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The status that arrived before the failure (e.g. a 200 whose body was too large), or 0. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The same failure, noting the status of the response head that had arrived. */
  FetchException withStatus(int status) {
    return httpStatus == status ? this : new FetchException(kind, getMessage(), status, judgesOrigin);
  }

  /** The kind of any throwable: a FetchException's own, otherwise a transport failure. */
  public static ErrorKind kindOf(Throwable t) {
    return t instanceof FetchException fe ? fe.kind : ErrorKind.CONNECT;
  }

  /** The status that had arrived before a failure, or 0. */
  public static int statusOf(Throwable t) {
    return t instanceof FetchException fe ? fe.httpStatus : 0;
  }
}
