package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request's target from the parsed URL is exactly what Vert.x makes of the URL's text. */
class RequestTargetTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "http://example.com", "http://example.com/", "https://example.com/a/b?x=1&y=%20z",
      "http://example.com?only=query", "http://example.com:8080/p", "https://example.com:443/p",
      "http://127.0.0.1:9/x%2Fy/%E2%82%AC?q=%26", "http://[::1]:8080/v6", "https://[2001:db8::1]/v6",
      "http://example.com/a#fragment", "http://Example.COM/Case?A=B"})
  void theSameAsVertxParsingTheUrlText(String url) {
    RequestOptions expected = new RequestOptions().setAbsoluteURI(URI.create(url).toString());
    RequestOptions actual = RequestTarget.of(URI.create(url));
    assertEquals(expected.getHost(), actual.getHost(), "host");
    assertEquals(expected.getPort(), actual.getPort(), "port");
    assertEquals(expected.isSsl(), actual.isSsl(), "ssl");
    assertEquals(expected.getURI(), actual.getURI(), "path and query");
  }
}
