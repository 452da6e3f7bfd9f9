package dev.fanin.http;

import java.util.Locale;

/** The HTTP listener could not bind: the message names the address and the reason, in one line. */
public final class ListenException extends RuntimeException {
  public ListenException(String host, int port, Throwable cause) {
    super("cannot listen on " + address(host, port) + ": " + reason(cause), cause, false, false);
  }

  private static String address(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The operating system's words, e.g. "address already in use": the JDK says "Address already in
   * use", Netty's native transport "bind(..) failed: Address already in use" or (Netty 4.2's epoll)
   * "bind(..) failed with error(-98): Address already in use".
   */
  private static String reason(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    int failed = message.lastIndexOf("failed");
    int colon = failed >= 0 ? message.indexOf(": ", failed) : -1;
    String reason = colon >= 0 ? message.substring(colon + 2) : message;
    return reason.strip().toLowerCase(Locale.ROOT);
  }
}
