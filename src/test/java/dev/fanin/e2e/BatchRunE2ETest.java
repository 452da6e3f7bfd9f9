package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fanin run} as its users run it: each input form, the output lines against the HTTP
 * stream's, exit codes, signals, progress on a terminal and on a pipe, the report, and a long list
 * streamed through a small heap. Everything talks to 127.0.0.1 only.
 */
class BatchRunE2ETest {
  static final Duration RUN = Duration.ofSeconds(60);
  static Vertx vertx;
  static FakeUpstream upstream;
  @TempDir
  Path dir;

  @BeforeAll
  static void upstream() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
  }

  @AfterAll
  static void stop() {
    upstream.stop();
    vertx.close().await();
  }

  static String url(String path, String query) {
    return "http://127.0.0.1:" + upstream.port() + path + (query.isEmpty() ? "" : "?" + query);
  }

  static BatchProcess.Finished run(Path cwd, String... args) throws Exception {
    return BatchProcess.run(cwd, Map.of(), null, RUN, args);
  }

  static List<JsonObject> lines(String ndjson) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (!line.isEmpty()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  /**
   * A result line without what differs from run to run: its timing (the timings keep their shape:
   * where the answer came from, the attempts and their fields, whether each was sent).
   */
  static String timeless(String line) {
    return line.replaceAll("\"latencyMs\":\\d+", "\"latencyMs\":0").replaceAll("\"startMs\":\\d+", "\"startMs\":0")
        .replaceAll("\"fetchedAt\":\"[^\"]+\"", "\"fetchedAt\":\"\"")
        .replaceAll("(\"(?:startMs|slot|budget|origin|pool|connectMs|headMs|bodyMs|backoffAfterMs)\"):[0-9.]+", "$1:0");
  }

  static Map<String, String> resultsById(String ndjson) {
    Map<String, String> out = new TreeMap<>();
    for (String line : ndjson.split("\n")) {
      if (line.startsWith("{\"type\":\"result\"")) {
        out.put(new JsonObject(line).getString("id"), timeless(line));
      }
    }
    return out;
  }

  @Test
  void aDefinitionsLinesAreTheHttpStreamsLinesByteForByte() throws Exception {
    int closed = FaninHarness.freePort();
    JsonObject definition = new JsonObject().put("sources", new JsonArray()
        .add(new JsonObject().put("id", "json").put("url", url("/same/json", "n=1")))
        .add(new JsonObject().put("id", "text").put("url", url("/same/text", "type=text/plain&body=hello%0Aworld")))
        .add(new JsonObject().put("id", "picked").put("url", url("/same/picked", "body=%7B%22a%22:%7B%22b%22:[1,2]%7D%7D"))
            .put("select", "/a/b"))
        .add(new JsonObject().put("id", "missing").put("url", url("/same/missing", "status=404&body=gone"))
            .put("optional", true))
        .add(new JsonObject().put("id", "refused").put("url", "http://127.0.0.1:" + closed + "/x").put("optional", true)));
    FaninHarness service = new FaninHarness(vertx, new JsonObject());
    String stream;
    try {
      stream = service.post("/v1/aggregate?stream=ndjson", "application/json", null, definition.toBuffer())
          .bodyAsString();
    } finally {
      service.stop();
    }
    Path file = dir.resolve("def.json");
    Files.writeString(file, definition.encode());
    BatchProcess.Finished batch = run(dir, file.toString(), "--progress", "none");
    // the optional sources may fail: every required one is ok
    assertEquals(0, batch.exitCode(), batch.stderr());
    assertEquals(resultsById(stream), resultsById(batch.stdout()));
    assertEquals(5, resultsById(batch.stdout()).size());
    List<JsonObject> out = lines(batch.stdout());
    JsonObject summary = out.get(out.size() - 1);
    assertEquals("summary", summary.getString("type"));
    assertEquals(false, summary.getBoolean("complete"));
    assertEquals(3, summary.getInteger("ok"));
    assertEquals(2, summary.getInteger("failed"));
    assertTrue(batch.stdout().endsWith("}\n"));
  }

  @Test
  void aListFromStandardInputSkipsCommentsNamesSourcesAndFetchesDuplicatesOnce() throws Exception {
    String dup = url("/list/dup", "");
    Path list = dir.resolve("list.txt");
    Files.writeString(list, "# a list\n" + url("/list/a", "") + "\n\n" + "named\t" + url("/list/b", "") + "\n"
        + dup + "\n" + dup + "\n");
    upstream.resetCounters();
    BatchProcess.Finished r = BatchProcess.run(dir, Map.of(), list, RUN, "--urls", "-", "--progress", "none");
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, String> results = resultsById(r.stdout());
    assertEquals(List.of("2", "5", "named"), new ArrayList<>(results.keySet()));
    assertEquals(1, upstream.path("/list/dup").requests.get());
    List<JsonObject> out = lines(r.stdout());
    JsonObject summary = out.get(out.size() - 1);
    assertEquals(new JsonObject("{\"type\":\"summary\",\"complete\":true,\"ok\":3,\"failed\":0,\"duplicates\":1,"
        + "\"resumed\":0,\"notStarted\":0}"), summary.copy().put("durationMs", null).put("sumLatencyMs", null)
        .stream().filter(e -> e.getValue() != null)
        .collect(JsonObject::new, (o, e) -> o.put(e.getKey(), e.getValue()), JsonObject::mergeIn));
  }

  @Test
  void exitCode1WhenASourceFailsAndTheOptionsApply() throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, url("/fails/ok", "") + "\n" + url("/fails/bad", "status=503") + "\n");
    upstream.resetCounters();
    BatchProcess.Finished r = run(dir, "--urls", list.toString(), "--retries", "1", "--timeout", "3000",
        "--format", "text", "--concurrency", "1", "--progress", "none");
    assertEquals(1, r.exitCode(), r.stderr());
    Map<String, String> results = resultsById(r.stdout());
    assertTrue(results.get("1").contains("\"status\":\"ok\"") && results.get("1").contains("\"data\":\"{"), results.get("1"));
    assertTrue(results.get("2").contains("\"kind\":\"http\""), results.get("2"));
    assertEquals(2, upstream.path("/fails/bad").requests.get(), "--retries 1");
    assertEquals(1, upstream.maxInFlight.get(), "--concurrency 1");
  }

  @Test
  void aDefinitionWithReferencesBetweenSourcesRunsThemInOrderButCannotBeResumed() throws Exception {
    Path def = dir.resolve("refs.json");
    JsonObject refs = new JsonObject().put("sources", new JsonArray()
        .add(new JsonObject().put("id", "list").put("url", url("/refs/list", "body=%7B%22items%22%3A%5B1%2C2%5D%7D")))
        .add(new JsonObject().put("id", "each").put("url", url("/refs/each", "i={sources.list.data.items[*]}"))));
    Files.writeString(def, refs.encode());
    Path out = dir.resolve("refs.ndjson");
    BatchProcess.Finished first = run(dir, def.toString(), "--out", out.toString(), "--progress", "none");
    assertEquals(0, first.exitCode(), first.stderr());
    assertEquals(java.util.Set.of("list", "each.0", "each.1"), resultsById(Files.readString(out)).keySet());
    BatchProcess.Finished again = run(dir, def.toString(), "--out", out.toString(), "--resume", "--progress", "none");
    assertEquals(2, again.exitCode(), again.stderr());
    assertTrue(again.stderr().contains("cannot be resumed"), again.stderr());
  }

  @Test
  void aDefinitionsCompletionPolicyDecidesTheExitCode() throws Exception {
    Path def = dir.resolve("policy.json");
    JsonObject met = new JsonObject().put("complete", new JsonObject().put("when", "first")).put("sources", new JsonArray()
        .add(new JsonObject().put("id", "fast").put("url", url("/policy/fast", "delay=10")))
        .add(new JsonObject().put("id", "stuck").put("url", url("/policy/stuck", "hang=1"))));
    Files.writeString(def, met.encode());
    BatchProcess.Finished r = run(dir, def.toString(), "--progress", "none");
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, String> results = resultsById(r.stdout());
    assertTrue(results.get("stuck").contains("\"kind\":\"cancelled\""), results.get("stuck"));
    JsonObject unmet = met.copy().put("complete", new JsonObject().put("when", "any").put("count", 2));
    unmet.getJsonArray("sources").getJsonObject(0).put("url", url("/policy/bad", "status=500")).put("retries", 0);
    Files.writeString(def, unmet.encode());
    assertEquals(1, run(dir, def.toString(), "--progress", "none").exitCode(), "the policy can no longer be met");
  }

  @Test
  void usageErrorsAreOneLineNamingTheFileAndLineOrPointerExit2AndFetchNothing() throws Exception {
    upstream.resetCounters();
    Path list = dir.resolve("bad.txt");
    Files.writeString(list, url("/never", "") + "\n# ok\nnot a url at all\n");
    BatchProcess.Finished badLine = run(dir, "--urls", list.toString());
    assertEquals(2, badLine.exitCode());
    assertEquals("", badLine.stdout());
    assertEquals(1, badLine.stderr().lines().count(), badLine.stderr());
    assertTrue(badLine.stderr().startsWith("fanin run: " + list + ":3: url "), badLine.stderr());

    Path def = dir.resolve("def.json");
    Files.writeString(def, "{\"sources\":[{\"id\":\"a\"}]}");
    BatchProcess.Finished badDef = run(dir, def.toString());
    assertEquals(2, badDef.exitCode());
    assertEquals("fanin run: " + def + ": /sources/0/url is required\n", badDef.stderr());
    Files.writeString(def, "{\"sources\":[\n  {\"id\":\"a\",}]}");
    BatchProcess.Finished malformed = run(dir, def.toString());
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.stderr().startsWith("fanin run: " + def + ": malformed JSON at line 2, column"),
        malformed.stderr());

    BatchProcess.Finished option = run(dir, "--urls", list.toString(), "--concurrency", "many");
    assertEquals(2, option.exitCode());
    assertEquals(1, option.stderr().lines().count());
    assertTrue(option.stderr().startsWith("fanin run: --concurrency must be a whole number"), option.stderr());

    BatchProcess.Finished feed = run(dir, "--feed", "nothere");
    assertEquals(2, feed.exitCode());
    assertTrue(feed.stderr().startsWith("fanin run: --feed nothere: no feed nothere in conf/feeds"), feed.stderr());
    assertEquals(0, upstream.requests.get(), "nothing was fetched");
  }

  @Test
  void helpListsEveryOptionOnStandardOutputAndExits0() throws Exception {
    BatchProcess.Finished help = run(dir, "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().startsWith("usage: fanin run"), help.stdout());
    assertTrue(help.stdout().contains("--resume") && help.stdout().contains("--report"), help.stdout());
    assertEquals("", help.stderr());
  }

  @Test
  void aNamedFeedWithParametersRunsFromTheOperatorsFolder() throws Exception {
    Path conf = Files.createDirectories(dir.resolve("feeds"));
    Files.writeString(conf.resolve("prices.json"), new JsonObject()
        .put("params", new JsonObject().put("symbol", new JsonObject().put("pattern", "[A-Z]{3}")))
        .put("sources", new JsonArray().add(new JsonObject().put("id", "quote")
            .put("url", url("/feed/{symbol}", "")))).encode());
    upstream.resetCounters();
    BatchProcess.Finished r = BatchProcess.run(dir, Map.of("FANIN_FEEDS_CONF_DIR", conf.toString()), null, RUN,
        "--feed", "prices", "--param", "symbol=ETH", "--progress", "none");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(1, upstream.path("/feed/ETH").requests.get());
    BatchProcess.Finished bad = BatchProcess.run(dir, Map.of("FANIN_FEEDS_CONF_DIR", conf.toString()), null, RUN,
        "--feed", "prices", "--param", "symbol=eth");
    assertEquals(2, bad.exitCode());
    assertEquals("fanin run: --feed prices: /params/symbol does not match the pattern [A-Z]{3}\n", bad.stderr());
  }

  @Test
  void sigintExits130AndSigtermExits143AfterWritingEveryResultReceivedAndTheSummary() throws Exception {
    Path list = dir.resolve("slow.txt");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      lines.append(url("/signal/" + i, "delay=100")).append('\n');
    }
    Files.writeString(list, lines);
    for (String signal : new String[] {"INT", "TERM"}) {
      Path out = dir.resolve("out-" + signal + ".ndjson");
      Path err = dir.resolve("err-" + signal + ".txt");
      // a child started from a shell that ignores SIGINT would ignore it too: give it the default
      Process p = BatchProcess.start(List.of("env", "--default-signal=INT,TERM"), dir, Map.of(), null,
          dir.resolve("stdout.txt"), err, "--urls", list.toString(), "--concurrency", "10", "--out", out.toString(),
          "--progress", "none");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < until && (!Files.exists(out) || Files.readString(out).lines().count() < 20)) {
        Thread.sleep(50);
      }
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
      assertEquals(signal.equals("INT") ? 130 : 143, p.exitValue(), Files.readString(err));
      String written = Files.readString(out);
      assertTrue(written.endsWith("\n"));
      List<JsonObject> all = lines(written);
      JsonObject summary = all.get(all.size() - 1);
      assertEquals("summary", summary.getString("type"));
      assertEquals(true, summary.getBoolean("interrupted"));
      assertEquals(all.size() - 1, summary.getInteger("ok"));
      assertTrue(summary.getInteger("notStarted") > 0, summary.encode());
      assertTrue(all.subList(0, all.size() - 1).stream().allMatch(l -> l.getString("type").equals("result")));
    }
  }

  @Test
  void progressIsABarOnATerminalAndPlainLinesOnAPipe() throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, url("/progress/1", "delay=50") + "\n" + url("/progress/2", "delay=50") + "\n");
    BatchProcess.Finished piped = run(dir, "--urls", list.toString(), "--out", dir.resolve("o1").toString());
    assertEquals(0, piped.exitCode(), piped.stderr());
    assertFalse(piped.stderr().contains("\r"), piped.stderr());
    assertTrue(piped.stderr().startsWith("fanin run: finished 2/2, ok 2, failed 0"), piped.stderr());
    assertTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script gives the command a terminal");
    // script runs the command on a pseudo-terminal and copies what it shows to its own output
    Path shown = dir.resolve("terminal.txt");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qefc", BatchProcess.FANIN + " run --urls " + list
        + " --out " + dir.resolve("o2"), "/dev/null").directory(dir.toFile())
        .redirectOutput(shown.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("FANIN_"));
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String terminal = Files.readString(shown);
    assertEquals(0, p.exitValue(), terminal);
    assertTrue(terminal.contains("\r[########################] 2/2, ok 2, failed 0"), terminal);
    assertTrue(terminal.contains("\033[K"), terminal);
    assertEquals(3, Files.readString(dir.resolve("o2")).lines().count());
  }

  @Test
  void theReportIsOneSelfContainedFile() throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, url("/report/1", "delay=50") + "\n" + url("/report/2", "delay=50") + "\n");
    Path report = dir.resolve("run.html");
    BatchProcess.Finished r = run(dir, "--urls", list.toString(), "--report", report.toString(), "--progress", "none");
    assertEquals(0, r.exitCode(), r.stderr());
    String html = Files.readString(report);
    assertTrue(html.contains("sum of latencies") && html.contains("wall time") && html.contains("<svg"), html);
    assertFalse(html.matches("(?s).*(src|href)\\s*=.*"), html);
    // the waterfall: both sources, each waiting at least 50 ms for its head
    assertTrue(html.contains("This run's 2 sources") && html.contains("class=\"legend\""), html);
    assertEquals(2, html.split("<g class=\"row\">", -1).length - 1, html);
    assertTrue(html.contains(">1</text><rect") && html.contains(">2</text><rect"), html);
    assertEquals(2, html.split("<rect class=\"p-head\" x", -1).length - 1, html);
  }

  @Test
  void aLongListStreamsThroughASmallHeap() throws Exception {
    // 100,000 lines, half of them repeating an earlier URL, through -Xmx64m: nothing holds the list
    Path list = dir.resolve("long.txt");
    StringBuilder lines = new StringBuilder(100_000 * 48);
    for (int i = 0; i < 100_000; i++) {
      lines.append("http://127.0.0.1:").append(upstream.port()).append("/long/").append(i % 50_000).append('\n');
    }
    Files.writeString(list, lines);
    Path out = dir.resolve("long.ndjson");
    BatchProcess.Finished r = BatchProcess.run(dir, Map.of("FANIN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx64m -Xss512k"),
        null, Duration.ofSeconds(120), "--urls", list.toString(), "--concurrency", "64", "--out", out.toString(),
        "--progress", "none");
    assertEquals(0, r.exitCode(), r.stderr());
    String last;
    try (var all = Files.lines(out)) {
      last = all.reduce((a, b) -> b).orElseThrow();
    }
    JsonObject summary = new JsonObject(last);
    assertEquals(50_000, summary.getInteger("ok"));
    assertEquals(50_000, summary.getInteger("duplicates"));
    assertEquals(0, summary.getInteger("failed"));
  }
}
