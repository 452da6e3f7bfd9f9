package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CanonicalLinksTest {
  @Test
  void canonicalLinks() {
    assertEquals("https://example.com/a?x=1", CanonicalLinks.of("HTTPS://Example.COM:443/a?utm_medium=x&x=1&gclid=9#frag"));
    assertEquals("http://example.com:8080/", CanonicalLinks.of("http://example.com:8080"));
    assertEquals("urn:x", CanonicalLinks.of("urn:x"));
    assertNull(CanonicalLinks.of(" "));
  }
}
