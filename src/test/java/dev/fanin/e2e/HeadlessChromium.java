package dev.fanin.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through the Chrome DevTools Protocol over its remote-debugging
 * WebSocket, with the JDK's own HTTP and WebSocket clients: no driver, no extra dependency. One page;
 * what the page logs as an error (console errors, exceptions, CSP violations) is collected.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
      "google-chrome-stable");
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  /** Errors the page reported: console errors, uncaught exceptions, log entries (CSP violations). */
  final List<String> errors = new CopyOnWriteArrayList<>();

  /** The browser on PATH, or null when none is installed. */
  static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String name : NAMES) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  HeadlessChromium(Path binary) throws Exception {
    profile = Files.createTempDirectory("fanin-chromium");
    process = new ProcessBuilder(binary.toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
        "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-dev-shm-usage",
        "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
        "--window-size=1280,1000", "about:blank")
        .redirectErrorStream(true).start();
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            browserUrl.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the browser went away
      }
      browserUrl.completeExceptionally(new IllegalStateException("chromium exited:\n" + output));
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    URI browser = URI.create(browserUrl.get(30, TimeUnit.SECONDS));
    HttpClient http = HttpClient.newHttpClient();
    URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
    String pageUrl = null;
    for (int i = 0; i < 50 && pageUrl == null; i++) {
      JsonArray targets = new JsonArray(http.send(HttpRequest.newBuilder(list).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (Object t : targets) {
        JsonObject target = (JsonObject) t;
        if ("page".equals(target.getString("type"))) {
          pageUrl = target.getString("webSocketDebuggerUrl");
        }
      }
      if (pageUrl == null) {
        Thread.sleep(100);
      }
    }
    if (pageUrl == null) {
      throw new IllegalStateException("chromium has no page target");
    }
    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(pageUrl), new Listener()).get(10, TimeUnit.SECONDS);
    call("Runtime.enable", new JsonObject());
    call("Log.enable", new JsonObject());
    call("Page.enable", new JsonObject());
  }

  /** Sends a command and waits for its answer's result (fails on a protocol error). */
  JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
        .get(10, TimeUnit.SECONDS);
    JsonObject reply = answer.get(30, TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new IllegalStateException(method + ": " + reply.getJsonObject("error").encode());
    }
    return reply.getJsonObject("result", new JsonObject());
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", new JsonObject().put("url", url));
  }

  /** The value of a JavaScript expression in the page (promises awaited), as JSON; fails on an exception. */
  Object eval(String expression) throws Exception {
    JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + result.getJsonObject("exceptionDetails").encode());
    }
    return result.getJsonObject("result").getValue("value");
  }

  /** Presses a key in the page, as a person would (the focused element gets it). */
  void press(String key, int keyCode) throws Exception {
    JsonObject down = new JsonObject().put("type", "keyDown").put("key", key).put("code", key)
        .put("windowsVirtualKeyCode", keyCode).put("nativeVirtualKeyCode", keyCode);
    if (keyCode == 13) {
      down.put("text", "\r");
    }
    call("Input.dispatchKeyEvent", down);
    call("Input.dispatchKeyEvent", new JsonObject().put("type", "keyUp").put("key", key).put("code", key)
        .put("windowsVirtualKeyCode", keyCode).put("nativeVirtualKeyCode", keyCode));
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile
      }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        JsonObject json = new JsonObject(message.toString());
        message.setLength(0);
        Integer id = json.getInteger("id");
        if (id != null) {
          CompletableFuture<JsonObject> answer = pending.remove(id);
          if (answer != null) {
            answer.complete(json);
          }
        } else {
          event(json.getString("method"), json.getJsonObject("params", new JsonObject()));
        }
      }
      webSocket.request(1);
      return null;
    }

    private void event(String method, JsonObject params) {
      if ("Runtime.exceptionThrown".equals(method)) {
        errors.add("exception: " + params.getJsonObject("exceptionDetails").encode());
      } else if ("Runtime.consoleAPICalled".equals(method) && "error".equals(params.getString("type"))) {
        errors.add("console: " + params.getJsonArray("args").encode());
      } else if ("Log.entryAdded".equals(method)) {
        JsonObject entry = params.getJsonObject("entry");
        if ("error".equals(entry.getString("level"))) {
          errors.add("log: " + entry.getString("text") + " " + entry.getString("url", ""));
        }
      }
    }
  }
}
