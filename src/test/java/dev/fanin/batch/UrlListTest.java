package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.SourceSpec;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A list of URLs: its lines, the check before anything runs, and the streamed second reading. */
class UrlListTest {
  static final DefinitionParser PARSER = new DefinitionParser(ConfigLoader.fromJson(new JsonObject()));
  static final InputStream NO_STDIN = InputStream.nullInputStream();
  @TempDir
  Path dir;

  Path file(String content) throws Exception {
    Path file = dir.resolve("urls.txt");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void linesNameTheirSourceOrTakeTheirNumber() {
    assertNull(UrlLine.parse("   ", 1));
    assertNull(UrlLine.parse("  # a comment", 2));
    assertEquals(new UrlLine("3", "http://a/x"), UrlLine.parse(" http://a/x \r", 3));
    assertEquals(new UrlLine("btc", "http://a/btc"), UrlLine.parse("btc\thttp://a/btc", 4));
  }

  @Test
  void aListIsCheckedWholeThenStreamedLessDuplicatesAndResumedIds() throws Exception {
    Path file = file("# prices\nhttp://a/1\n\nbtc\thttp://a/2\r\nhttp://a/1\nhttp://demo.demo.localhost/x\nhttp://a/3\n");
    try (UrlList list = UrlList.open(file.toString(), NO_STDIN, PARSER)) {
      assertEquals(5, list.sources());
      assertTrue(list.usesDemo());
      LongSet done = new LongSet();
      done.add(Hashes.of("7"));
      RunSettings settings = new RunSettings(null, 1234, 2, null, null, null);
      try (UrlSources sources = new UrlSources(list, PARSER, settings, done)) {
        List<SourceSpec> all = new ArrayList<>();
        for (List<SourceSpec> some = sources.next(2); !some.isEmpty(); some = sources.next(2)) {
          assertTrue(some.size() <= 2);
          all.addAll(some);
        }
        assertEquals(List.of("2", "btc", "6"), all.stream().map(SourceSpec::id).toList());
        assertEquals(1234, all.get(0).timeoutMs());
        assertEquals(2, all.get(0).retries());
        assertEquals(1, sources.duplicates());
        assertEquals(1, sources.resumed());
      }
    }
  }

  @Test
  void theFirstBadLineIsNamedByFileAndLine() throws Exception {
    Path file = file("http://a/1\nhttp://a/2\nftp://a/3\n");
    assertEquals(file + ":3: url has scheme \"ftp\"; only http and https are allowed",
        assertThrows(UsageError.class, () -> UrlList.open(file.toString(), NO_STDIN, PARSER)).getMessage());
    Path ids = file("http://a/1\n1\thttp://a/2\n");
    assertTrue(assertThrows(UsageError.class, () -> UrlList.open(ids.toString(), NO_STDIN, PARSER)).getMessage()
        .startsWith(ids + ":2: the id 1 is already the id of an earlier line"));
    Path badId = file("a b\thttp://a/1\n");
    assertTrue(assertThrows(UsageError.class, () -> UrlList.open(badId.toString(), NO_STDIN, PARSER)).getMessage()
        .startsWith(badId + ":1: id must be 1 to 64 characters"));
    Path empty = file("# nothing\n\n");
    assertEquals(empty + ": no URLs (blank lines and lines starting with # are skipped)",
        assertThrows(UsageError.class, () -> UrlList.open(empty.toString(), NO_STDIN, PARSER)).getMessage());
    Path huge = file("http://a/" + "x".repeat(20_000) + "\n");
    assertEquals(huge + ":1: the line is longer than " + UrlLine.MAX_CHARS + " characters",
        assertThrows(UsageError.class, () -> UrlList.open(huge.toString(), NO_STDIN, PARSER)).getMessage());
    assertEquals("missing.txt: no such file",
        assertThrows(UsageError.class, () -> UrlList.open("missing.txt", NO_STDIN, PARSER)).getMessage());
  }

  @Test
  void standardInputIsCopiedForTheSecondReadingAndRemovedAfter() throws Exception {
    InputStream stdin = new ByteArrayInputStream("http://a/1\nhttp://a/2\n".getBytes(StandardCharsets.UTF_8));
    Path copy;
    try (UrlList list = UrlList.open("-", stdin, PARSER)) {
      assertEquals("standard input", list.label());
      assertEquals(2, list.sources());
      assertFalse(list.usesDemo());
      copy = list.file();
      assertTrue(Files.exists(copy));
    }
    assertFalse(Files.exists(copy));
    InputStream bad = new ByteArrayInputStream("http://a/1\nnot a url\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertThrows(UsageError.class, () -> UrlList.open("-", bad, PARSER)).getMessage()
        .startsWith("standard input:2: "));
  }
}
