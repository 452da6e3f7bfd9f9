package dev.fanin.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error is a terminal. Java 17 has no isatty: on Linux the link
 * /proc/self/fd/2 names a terminal device; elsewhere {@code System.console()} (standard input and
 * output are terminals) is the nearest guess.
 */
public final class Terminal {
  private Terminal() {}

  public static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
