package dev.fanin.fetch;

import java.util.ArrayList;
import java.util.List;

/** A fetch that produced no usable response; its kind becomes the result's error.kind. */
public final class FetchException extends RuntimeException {
  private final ErrorKind kind;
  private final int httpStatus;
  private final boolean judgesOrigin;
  private final List<String> notes;

  public FetchException(ErrorKind kind, String message) {
    this(kind, message, 0);
  }

  /** @param httpStatus the status of a response whose head arrived before the fetch failed, or 0 */
  public FetchException(ErrorKind kind, String message, int httpStatus) {
    this(kind, message, httpStatus, true);
  }

  private FetchException(ErrorKind kind, String message, int httpStatus, boolean judgesOrigin) {
    this(kind, message, httpStatus, judgesOrigin, List.of());
  }

  private FetchException(ErrorKind kind, String message, int httpStatus, boolean judgesOrigin,
      List<String> notes) {
    super(message, null, false, false);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.judgesOrigin = judgesOrigin;
    this.notes = notes;
  }

  /** Remarks for the result's message (why it was not retried, for instance). */
  public List<String> notes() {
    return notes;
  }

  /** The same failure with one more remark. */
  public FetchException withNote(String note) {
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new FetchException(kind, getMessage(), httpStatus, judgesOrigin, List.copyOf(more));
  }

  /** The remarks of any failure: a FetchException's own, none for other throwables. */
  public static List<String> notesOf(Throwable t) {
    return t instanceof FetchException fe ? fe.notes : List.of();
  }

  /** Any failure with one more remark (a throwable that is not a FetchException becomes a connect failure). */
  public static FetchException noted(Throwable t, String note) {
    FetchException fe = t instanceof FetchException f ? f
        : new FetchException(ErrorKind.CONNECT, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    return fe.withNote(note);
  }

  /**
   * A failure that says nothing about the origin's health (fanin's own wait ended, for instance):
   * the origin's breaker never counts it.
   */
  public static FetchException notJudging(ErrorKind kind, String message) {
    return new FetchException(kind, message, 0, false);
  }

  /**
   * The origin's pace did not allow the request: never counted against its breaker. {@code
   * httpStatus} is the status of the answer that said so (a soft limit), or 0 when nothing was sent.
   */
  public static FetchException rateLimited(String message, int httpStatus) {
    return new FetchException(ErrorKind.RATE_LIMITED, message, httpStatus, false);
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
    return httpStatus == status ? this : new FetchException(kind, getMessage(), status, judgesOrigin, notes);
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
