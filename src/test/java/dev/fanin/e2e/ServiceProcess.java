package dev.fanin.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real start command (bin/fanin, the README's and the Dockerfile's) run as a child process. */
final class ServiceProcess implements AutoCloseable {
  static final Path HOME = Path.of(System.getProperty("fanin.home", "."));
  final Process process;
  final Path log;
  final int port;

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static ServiceProcess start(int port, Map<String, String> env, String... args) throws IOException {
    Path log = Files.createTempFile("fanin-e2e", ".log");
    List<String> command = new java.util.ArrayList<>(List.of(HOME.resolve("bin/fanin").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(HOME.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("FANIN_"));
    pb.environment().put("FANIN_HTTP_PORT", Integer.toString(port));
    // the demo on a chosen port too: an ephemeral one could be the API's port, which is bound after it
    int demoPort = dev.fanin.testing.FaninHarness.freePort();
    pb.environment().put("FANIN_DEMO_PORT", Integer.toString(demoPort == port ? demoPort + 1 : demoPort));
    // no start-up warm-up unless a test asks for one: it would take 5 s of CPU from every test's first seconds
    pb.environment().put("FANIN_HTTP_WARMUP_MS", "0");
    pb.environment().putAll(env);
    return new ServiceProcess(pb.start(), log, port);
  }

  /** What a command that ends by itself (--help, a refused argument) wrote and how it exited. */
  record Finished(int exitCode, String stdout, String stderr) {}

  /** Runs bin/fanin with these arguments until it exits, keeping standard output and error apart. */
  static Finished run(Duration within, String... args) throws Exception {
    Path out = Files.createTempFile("fanin-e2e", ".out");
    Path err = Files.createTempFile("fanin-e2e", ".err");
    try {
      List<String> command = new java.util.ArrayList<>(List.of(HOME.resolve("bin/fanin").toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).directory(HOME.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("FANIN_"));
      Process process = pb.start();
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("fanin " + String.join(" ", args) + " did not exit:\n" + Files.readString(out)
            + Files.readString(err));
      }
      return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Waits until /health answers 200, or fails with the log. */
  void awaitHealthy(Duration within) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new AssertionError("fanin exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(url("/health")))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fanin did not become healthy:\n" + output());
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  int awaitExit(Duration within) throws Exception {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("fanin did not exit:\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    new File(log.toString()).delete();
  }
}
