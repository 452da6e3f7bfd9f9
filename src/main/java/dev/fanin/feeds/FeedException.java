package dev.fanin.feeds;

/** A registry refusal with the HTTP status it maps to (404, 409, 412, ...). */
public final class FeedException extends RuntimeException {
  private final int status;

  public FeedException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
