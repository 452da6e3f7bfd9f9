package dev.fanin.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send (garbled or oversized
 * requests, pipelined HEADs) and to see exactly the bytes that come back.
 */
public final class RawHttp {
  private RawHttp() {}

  /** One response as it came on the wire. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What came back, and whether the server closed the connection (rather than the read timing out). */
  public record Exchange(List<Response> responses, boolean closedByServer, String raw) {}

  /**
   * Writes the bytes, then reads until the server closes the connection or nothing more comes for
   * quietMs. Each response's body is read by its Content-Length; a response to HEAD has none, so
   * heads lists which of the responses answer a HEAD.
   */
  public static Exchange exchange(int port, byte[] request, int quietMs, boolean... heads) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(quietMs);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      boolean closed = false;
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received.write(buffer, 0, n);
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (IOException e) {
        closed = true; // reset by the server
      }
      String raw = received.toString(StandardCharsets.ISO_8859_1);
      return new Exchange(parse(raw, heads), closed, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Exchange exchange(int port, String request, int quietMs, boolean... heads) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), quietMs, heads);
  }

  private static List<Response> parse(String raw, boolean[] heads) {
    List<Response> out = new ArrayList<>();
    int at = 0;
    while (at < raw.length()) {
      int end = raw.indexOf("\r\n\r\n", at);
      if (end < 0) {
        throw new AssertionError("an incomplete response head: " + raw.substring(at));
      }
      String[] lines = raw.substring(at, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      boolean head = out.size() < heads.length && heads[out.size()];
      String length = headers.get("content-length");
      int bodyLength = head || length == null ? 0 : Integer.parseInt(length);
      int bodyStart = end + 4;
      String body = raw.substring(bodyStart, Math.min(raw.length(), bodyStart + bodyLength));
      out.add(new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
      at = bodyStart + bodyLength;
    }
    return out;
  }
}
