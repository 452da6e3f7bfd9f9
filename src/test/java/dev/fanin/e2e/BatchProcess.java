package dev.fanin.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bin/fanin run … as a child process, in a working directory of its own (so the built-in defaults
 * apply, not the tree's conf/), with FANIN_* variables only as a test gives them.
 */
final class BatchProcess {
  static final Path FANIN = ServiceProcess.HOME.toAbsolutePath().resolve("bin/fanin");

  private BatchProcess() {}

  /** What a run wrote and how it exited. */
  record Finished(int exitCode, String stdout, String stderr) {}

  /** Runs until it exits; stdin is a file or null (none). */
  static Finished run(Path cwd, Map<String, String> env, Path stdin, Duration within, String... args)
      throws Exception {
    Path out = Files.createTempFile("fanin-run", ".out");
    Path err = Files.createTempFile("fanin-run", ".err");
    try {
      Process p = start(cwd, env, stdin, out, err, args);
      if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("fanin run " + String.join(" ", args) + " did not exit:\n" + Files.readString(err));
      }
      return new Finished(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Process start(Path cwd, Map<String, String> env, Path stdin, Path out, Path err, String... args)
      throws IOException {
    return start(List.of(), cwd, env, stdin, out, err, args);
  }

  /** With a command in front (env, script…) that then runs bin/fanin run with the arguments. */
  static Process start(List<String> prefix, Path cwd, Map<String, String> env, Path stdin, Path out, Path err,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(FANIN.toString());
    command.add("run");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
        : ProcessBuilder.Redirect.from(stdin.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("FANIN_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
