package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --out FILE --resume after a real kill -9 of the running process: every id exactly once. */
class BatchResumeE2ETest {
  static final int SOURCES = 600;
  static final int CONCURRENCY = 20;
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

  @Test
  void aRunKilledWithKill9AndResumedHasEveryIdOnceAndRefetchesOnlyWhatWasInFlight() throws Exception {
    Path list = dir.resolve("list.txt");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < SOURCES; i++) {
      lines.append("item-").append(i).append('\t').append("http://127.0.0.1:").append(upstream.port())
          .append("/resume/").append(i).append("?delay=").append(40 + i % 5 * 20).append('\n');
    }
    Files.writeString(list, lines);
    Path out = dir.resolve("out.ndjson");
    Process first = BatchProcess.start(dir, Map.of(), null, dir.resolve("stdout.txt"), dir.resolve("err1.txt"),
        "--urls", list.toString(), "--concurrency", Integer.toString(CONCURRENCY), "--out", out.toString(),
        "--resume", "--progress", "none");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && (!Files.exists(out) || Files.readString(out).lines().count() < 150)) {
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL: no hook, no summary, maybe half a line
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue());
    String killed = Files.readString(out);
    long before = killed.lines().filter(l -> l.endsWith("}")).count();
    assertTrue(before >= 150 && before < SOURCES, "killed mid-run: " + before + " lines");
    assertTrue(killed.lines().noneMatch(l -> l.startsWith("{\"type\":\"summary\"")));
    // as if the kill had come in the middle of a write
    Files.writeString(out, "{\"type\":\"result\",\"id\":\"item-", java.nio.file.StandardOpenOption.APPEND);
    int requestsBefore = upstream.requests.get();

    BatchProcess.Finished resumed = BatchProcess.run(dir, Map.of(), null, Duration.ofSeconds(60), "--urls",
        list.toString(), "--concurrency", Integer.toString(CONCURRENCY), "--out", out.toString(), "--resume",
        "--progress", "none");
    assertEquals(0, resumed.exitCode(), resumed.stderr());

    List<String> all = Files.readAllLines(out);
    Map<String, Integer> seen = new HashMap<>();
    for (String line : all.subList(0, all.size() - 1)) {
      JsonObject result = new JsonObject(line);
      assertEquals("result", result.getString("type"), line);
      seen.merge(result.getString("id"), 1, Integer::sum);
    }
    assertEquals(SOURCES, seen.size());
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "every id exactly once");
    JsonObject summary = new JsonObject(all.get(all.size() - 1));
    assertEquals(SOURCES, summary.getInteger("ok"));
    assertEquals(before, summary.getLong("resumed"));
    assertEquals(true, summary.getBoolean("complete"));
    // only what was in flight at the kill (and not yet written) was fetched twice
    int fetchedAgain = upstream.requests.get() - SOURCES;
    assertTrue(fetchedAgain >= 0 && fetchedAgain <= 2 * CONCURRENCY,
        "fetched again: " + fetchedAgain + " (requests before the resume: " + requestsBefore + ")");
  }
}
