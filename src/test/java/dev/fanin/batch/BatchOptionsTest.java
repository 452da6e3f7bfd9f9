package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.SourceFormat;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fanin run's command line: each input form, each option, and the one-line refusals. */
class BatchOptionsTest {
  static BatchOptions parse(String... args) {
    return BatchOptions.parse(args);
  }

  static String refused(String... args) {
    return assertThrows(UsageError.class, () -> parse(args)).getMessage();
  }

  @Test
  void eachInputForm() {
    BatchOptions definition = parse("def.json");
    assertEquals(BatchOptions.InputKind.DEFINITION, definition.kind());
    assertEquals("def.json", definition.input());
    assertEquals("-", parse("-").input());
    BatchOptions urls = parse("--urls", "list.txt");
    assertEquals(BatchOptions.InputKind.URLS, urls.kind());
    assertEquals("-", parse("--urls=-").input());
    BatchOptions feed = parse("--feed", "quotes", "--param", "symbol=ETH", "--param=x=a=b");
    assertEquals(BatchOptions.InputKind.FEED, feed.kind());
    assertEquals(Map.of("symbol", "ETH", "x", "a=b"), feed.params());
  }

  @Test
  void everyOption() {
    BatchOptions o = parse("--urls", "u.txt", "--concurrency", "100", "--timeout=2500", "--retries", "2",
        "--deadline", "60000", "--format", "TEXT", "--rate", "2.5", "--out", "o.ndjson", "--resume",
        "--progress", "plain", "--report", "r.html", "--config", "c.json");
    assertEquals(100, o.concurrency());
    assertEquals(2500, o.timeoutMs());
    assertEquals(2, o.retries());
    assertEquals(60000L, o.deadlineMs());
    assertEquals(SourceFormat.TEXT, o.format());
    assertEquals(2.5, o.rate());
    assertEquals(Path.of("o.ndjson"), o.out());
    assertTrue(o.resume());
    assertEquals(ProgressMode.PLAIN, o.progress());
    assertEquals(Path.of("r.html"), o.report());
    assertEquals(Path.of("c.json"), o.configFile());
    BatchOptions defaults = parse("--urls", "u.txt");
    assertNull(defaults.concurrency());
    assertNull(defaults.deadlineMs());
    assertEquals(ProgressMode.AUTO, defaults.progress());
  }

  @Test
  void refusalsAreOneLineNamingTheOption() {
    assertEquals("unknown option --bogus", refused("--urls", "u.txt", "--bogus"));
    assertEquals("--concurrency must be a whole number of at least 1, not 0", refused("--urls", "u", "--concurrency", "0"));
    assertEquals("--retries must be a whole number from 0, not x", refused("--urls", "u", "--retries", "x"));
    assertEquals("--format must be auto|json|text|feed, not xml", refused("--urls", "u", "--format", "xml"));
    assertEquals("--progress must be auto|bar|plain|none, not loud", refused("--urls", "u", "--progress", "loud"));
    assertEquals("--rate must be requests a second above 0 and at most 100000, not -1", refused("--urls", "u", "--rate", "-1"));
    assertEquals("--timeout needs a value", refused("--urls", "u", "--timeout"));
    assertEquals("one input only: a.json and --urls u.txt", refused("a.json", "--urls", "u.txt"));
    assertEquals("name what to run: a definition file, --urls FILE or --feed NAME", refused("--concurrency", "4"));
    assertEquals("--resume needs --out FILE: the output file is the checkpoint", refused("--urls", "u", "--resume"));
    assertEquals("--param applies to --feed only", refused("--urls", "u", "--param", "a=b"));
    assertEquals("--param needs NAME=VALUE, not a", refused("--feed", "f", "--param", "a"));
  }

  @Test
  void helpWinsOverEverythingAndNamesEveryOption() {
    assertTrue(parse("--bogus", "-h").help());
    for (String option : new String[] {"--urls", "--feed", "--param", "--concurrency", "--timeout", "--retries",
        "--deadline", "--format", "--rate", "--out", "--resume", "--progress", "--report", "--config", "--help"}) {
      assertTrue(BatchOptions.HELP.contains(option), option);
    }
    assertTrue(BatchOptions.HELP.contains("130") && BatchOptions.HELP.contains("143"));
  }

  @Test
  void optionsAreCheckedAgainstTheConfigurationsLimits() {
    FaninConfig config = ConfigLoader.fromJson(new JsonObject());
    assertEquals("--concurrency is at most 1000 (aggregate.maxConcurrency), not 1001",
        assertThrows(UsageError.class, () -> RunSettings.of(parse("--urls", "u", "--concurrency", "1001"), config))
            .getMessage());
    assertEquals("--timeout is at most 60000 (source.maxTimeoutMs), not 60001",
        assertThrows(UsageError.class, () -> RunSettings.of(parse("--urls", "u", "--timeout", "60001"), config))
            .getMessage());
    assertEquals("--retries is at most 5 (source.maxRetries), not 6",
        assertThrows(UsageError.class, () -> RunSettings.of(parse("--urls", "u", "--retries", "6"), config))
            .getMessage());
    RunSettings settings = RunSettings.of(parse("--urls", "u", "--rate", "2.5", "--deadline", "600000"), config);
    assertEquals(2.5, settings.rate().perSecond());
    assertEquals(3, settings.rate().burst());
    assertEquals(600000L, settings.deadlineMs());
  }
}
