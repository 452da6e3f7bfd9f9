package dev.fanin.e2e;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live page in a real headless Chromium against a real fanin and a fake upstream: the page runs
 * a definition given in ?run=, and what it shows is read back from the DOM through the DevTools
 * protocol. Skipped (not failed) when no Chromium is installed.
 */
class LivePageE2ETest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults();

  /** Every form control without a label, by id. */
  static final String UNLABELLED = """
      [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')
          && !e.getAttribute('aria-labelledby'))
        .map(e => e.id || e.outerHTML)""";

  /**
   * Every visible text under 4.5:1 against the background it is drawn on (WCAG 2 relative
   * luminance, from the computed colours; the first opaque background up the tree, else white).
   */
  static final String LOW_CONTRAST = """
      (() => {
        const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255;
          return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); })
          .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
        const background = (e) => {
          for (; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const low = [];
        let checked = 0;
        for (const e of document.querySelectorAll('body *')) {
          const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
          if (!own || !e.getClientRects().length) continue;
          checked++;
          const fg = lum(rgb(getComputedStyle(e).color).slice(0, 3));
          const bg = lum(background(e));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          if (ratio < 4.5) low.push(e.tagName + '.' + e.className + ' "' + e.textContent.trim().slice(0, 30)
            + '" ' + ratio.toFixed(2));
        }
        return {checked, low};
      })()""";

  static final String ROWS = """
      [...document.querySelectorAll('#rows .row')].map((r) => ({
        id: r.dataset.id, tag: r.tagName, classes: r.className, label: r.getAttribute('aria-label'),
        badges: [...r.querySelectorAll('.badge')].map((b) => b.textContent),
        segments: [...r.querySelectorAll('.seg')].map((s) => s.className.replace('seg ', '')),
        titled: [...r.querySelectorAll('.seg')].every((s) => s.title && s.getAttribute('aria-label'))
      }))""";

  @Test
  void runsADefinitionAndShowsRowsBarsAndTheSpeedUp() throws Exception {
    Path binary = HeadlessChromium.find();
    Assumptions.assumeTrue(binary != null,
        "no chromium, chromium-browser or google-chrome on PATH: LivePageE2ETest is skipped "
            + "(apt-get install chromium to run it)");
    FakeUpstream upstream = fixture.upstream();
    FaninHarness fanin = fixture.fanin();
    String key = UUID.randomUUID().toString();
    JsonObject def = definition(
        source("fast", upstream.url("delay=60&p=fast")),
        source("slow", upstream.url("delay=400&p=slow")),
        source("retried", upstream.url("delay=30&status=503&failFirst=1&key=" + key)).put("retries", 1),
        source("broken", upstream.url("status=500&p=broken")).put("retries", 0),
        source("twinA", upstream.url("delay=250&p=twin")),
        source("twinB", upstream.url("delay=250&p=twin")));
    String run = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(def.encode().getBytes(StandardCharsets.UTF_8));
    String page = "http://127.0.0.1:" + fanin.fanin.port() + "/?run=" + run;

    try (HeadlessChromium chromium = new HeadlessChromium(binary)) {
      chromium.navigate(page);
      String state = null;
      for (int i = 0; i < 200; i++) {
        state = (String) chromium.eval("document.body ? document.body.dataset.state || '' : ''");
        if ("done".equals(state) || "error".equals(state)) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("done", state, "the page never showed the summary: "
          + chromium.eval("document.getElementById('message').textContent") + " " + chromium.errors);

      JsonArray rows = (JsonArray) chromium.eval(ROWS);
      List<String> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(((JsonObject) r).getString("id")));
      assertEquals(List.of("fast", "slow", "retried", "broken", "twinA", "twinB"), ids, rows.encodePrettily());
      JsonObject fast = row(rows, "fast");
      assertEquals("BUTTON", fast.getString("tag"), "rows are buttons: focusable, Enter works");
      assertTrue(fast.getJsonArray("segments").contains("phase-head"), fast.encode());
      assertTrue(fast.getJsonArray("segments").contains("phase-body"), fast.encode());
      assertTrue(fast.getString("label").startsWith("fast: ok (HTTP 200)"), fast.encode());
      for (Object r : rows) {
        JsonObject o = (JsonObject) r;
        assertTrue(o.getBoolean("titled"), "every bar says what it is: " + o.encode());
        assertTrue(!o.getJsonArray("segments").contains("phase-running"), "still running: " + o.encode());
      }
      JsonObject retried = row(rows, "retried");
      assertTrue(retried.getJsonArray("segments").contains("phase-backoff"), retried.encode());
      assertEquals(2, retried.getJsonArray("segments").stream().filter("phase-head"::equals).count(),
          retried.encode());
      JsonObject broken = row(rows, "broken");
      assertTrue(broken.getString("classes").contains("failed"), broken.encode());
      assertTrue(broken.getJsonArray("badges").contains("failed: http"), broken.encode());
      boolean coalesced = row(rows, "twinA").getString("classes").contains("coalesced")
          || row(rows, "twinB").getString("classes").contains("coalesced");
      assertTrue(coalesced, "one twin waits for the other's request: " + rows.encode());

      String speedup = (String) chromium.eval("document.getElementById('speedup').textContent");
      Matcher m = Pattern.compile("(\\d+\\.\\d)× faster than one after another").matcher(speedup);
      assertTrue(m.matches(), speedup);
      assertTrue(Double.parseDouble(m.group(1)) > 1.2, speedup);
      String status = (String) chromium.eval("document.getElementById('status').textContent");
      assertTrue(status.startsWith("Aggregate status 502 Bad Gateway: 5 ok, 1 failed"), status);
      assertTrue(!((String) chromium.eval("document.getElementById('wall-value').textContent")).isEmpty());

      // keyboard: Tab to a row and press Enter; its result shows
      chromium.eval("document.querySelector('#rows .row[data-id=slow]').focus()");
      chromium.press("Enter", 13);
      String detail = (String) chromium.eval("document.getElementById('detail').textContent");
      assertTrue(detail.contains("\"id\": \"slow\"") && detail.contains("\"timings\""), detail);

      // accessibility basics: labels, and the contrast of every visible text
      assertEquals(new JsonArray(), chromium.eval(UNLABELLED));
      JsonObject contrast = (JsonObject) chromium.eval(LOW_CONTRAST);
      assertTrue(contrast.getInteger("checked") > 20, contrast.encode());
      assertEquals(new JsonArray(), contrast.getJsonArray("low"), contrast.encode());

      // for a person to look at: target/live-page.png
      String png = chromium.call("Page.captureScreenshot", new JsonObject().put("format", "png")
          .put("captureBeyondViewport", true)).getString("data");
      java.nio.file.Files.write(Path.of("target", "live-page.png"), Base64.getDecoder().decode(png));

      // nothing blocked by the CSP, no script errors (the failing source's 500 is fanin's upstream, not the page's)
      assertEquals(List.of(), chromium.errors);
    }
  }

  private static JsonObject row(JsonArray rows, String id) {
    for (Object r : rows) {
      JsonObject o = (JsonObject) r;
      if (id.equals(o.getString("id"))) {
        return o;
      }
    }
    throw new AssertionError("no row " + id + " in " + rows.encode());
  }
}
