package dev.fanin.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Placeholder values are percent-encoded for their place in a URL, so none can change its structure. */
class PlaceholdersTest {
  static final String BASE = "http://127.0.0.1:8080";

  @ParameterizedTest(name = "path: {0}")
  @CsvSource(delimiter = '|', value = {
      "BTC|BTC",
      "../admin|%2E%2E%2Fadmin",
      "@evil.example|%40evil%2Eexample",
      "%2F|%252F",
      "a b|a%20b",
      "a?b#c|a%3Fb%23c",
      "x:y;z|x%3Ay%3Bz",
      "A-z_0~|A-z_0~",
      "é|%C3%A9"})
  void inThePathEverythingButUnreservedIsEncodedDotsToo(String value, String encoded) {
    String url = Placeholders.substituteUrl(BASE + "/x/{v}/end", Map.of("v", value));
    assertEquals(BASE + "/x/" + encoded + "/end", url);
    URI uri = URI.create(url);
    assertEquals("127.0.0.1", uri.getHost());
    assertEquals(8080, uri.getPort());
    assertEquals("/x/" + encoded + "/end", uri.getRawPath());
    assertEquals(null, uri.getRawQuery());
  }

  @ParameterizedTest(name = "query: {0}")
  @CsvSource(delimiter = '|', value = {
      "BTC|BTC",
      "../admin|..%2Fadmin",
      "a&admin=1|a%26admin%3D1",
      "a#frag|a%23frag",
      "%2F|%252F",
      "a+b|a%2Bb"})
  void inTheQueryEverythingButUnreservedAndDotIsEncoded(String value, String encoded) {
    String url = Placeholders.substituteUrl(BASE + "/x?q={v}&k=1", Map.of("v", value));
    assertEquals(BASE + "/x?q=" + encoded + "&k=1", url);
    URI uri = URI.create(url);
    assertEquals("q=" + encoded + "&k=1", uri.getRawQuery());
    assertEquals(null, uri.getRawFragment());
  }

  @Test
  void controlCharactersAreEncodedInPathAndQuery() {
    String url = Placeholders.substituteUrl(BASE + "/x/{v}?q={v}", Map.of("v", "a\r\nHost: evil\u0000"));
    assertEquals(BASE + "/x/a%0D%0AHost%3A%20evil%00?q=a%0D%0AHost%3A%20evil%00", url);
  }

  @Test
  void aFragmentIsEncodedLikeAQuery() {
    assertEquals(BASE + "/x#a.b%2Fc%23d",
        Placeholders.substituteUrl(BASE + "/x#{v}", Map.of("v", "a.b/c#d")));
  }

  @Test
  void aPathPlaceholderAfterAQueryCharacterInTheValueStaysAPathValue() {
    // the place is decided by the template, not by the substituted values
    assertEquals(BASE + "/a%3Fb/c?x=a%3Fb",
        Placeholders.substituteUrl(BASE + "/{v}/c?x={v}", Map.of("v", "a?b")));
  }

  @Test
  void theSamePlaceholderMayStandSeveralTimes() {
    assertEquals(BASE + "/a.b/a%2Eb/a%2Eb?s=a.b",
        Placeholders.substituteUrl(BASE + "/a.b/{s}/{s}?s={s}", Map.of("s", "a.b")));
  }

  @Test
  void placeholdersWithoutAValueAreLeftAsTheyAre() {
    assertEquals("pre-1-{other}-{}-{1x}", Placeholders.substitute("pre-{a}-{other}-{}-{1x}", Map.of("a", "1")));
  }

  @Test
  void outsideUrlsValuesAreInsertedAsTheyAre() {
    assertEquals("v=a\r\nb \"q\"", Placeholders.substitute("v={v}", Map.of("v", "a\r\nb \"q\"")));
  }

  @Test
  void thePathStartsAfterTheAuthority() {
    assertEquals(BASE.length(), Placeholders.pathStart(BASE + "/x/{v}"));
    assertEquals(BASE.length(), Placeholders.pathStart(BASE + "?q={v}"));
    assertEquals(BASE.length(), Placeholders.pathStart(BASE + "#{v}"));
    assertEquals(BASE.length(), Placeholders.pathStart(BASE));
    assertEquals("http://".length() + 4, Placeholders.pathStart("http://{h}./x"));
  }
}
