package dev.fanin.fetch;

/** A fetch that produced no usable response; its kind becomes the result's error.kind. */
public final class FetchException extends RuntimeException {
  private final ErrorKind kind;

  public FetchException(ErrorKind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The kind of any throwable: a FetchException's own, otherwise a transport failure. */
  public static ErrorKind kindOf(Throwable t) {
    return t instanceof FetchException fe ? fe.kind : ErrorKind.CONNECT;
  }
}
