package dev.fanin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line: --config FILE, --cluster and --help. */
class MainTest {
  @Test
  void clusterFlagIsAcceptedBesideConfig() {
    Main.CommandLine line = Main.CommandLine.parse(new String[] {"--config", "conf/config.json", "--cluster"});
    assertTrue(line.cluster());
    assertFalse(line.help());
    assertEquals(Path.of("conf/config.json"), line.configFile());
    Main.CommandLine equals = Main.CommandLine.parse(new String[] {"--config=x.json"});
    assertFalse(equals.cluster());
    assertEquals(Path.of("x.json"), equals.configFile());
    assertNull(Main.CommandLine.parse(new String[0]).configFile());
  }

  @Test
  void unknownArgumentsAreRefusedNamingTheArgument() {
    Main.UsageException e = assertThrows(Main.UsageException.class,
        () -> Main.CommandLine.parse(new String[] {"--clustered"}));
    assertEquals("unknown argument --clustered", e.getMessage());
    assertEquals("--config needs a file name", assertThrows(Main.UsageException.class,
        () -> Main.CommandLine.parse(new String[] {"--config"})).getMessage());
  }

  @Test
  void helpIsAnOptionNotAnError() {
    assertTrue(Main.CommandLine.parse(new String[] {"--help"}).help());
    assertTrue(Main.CommandLine.parse(new String[] {"-h"}).help());
    // asking for help with a wrong argument still gets the help
    assertTrue(Main.CommandLine.parse(new String[] {"--clustered", "--help"}).help());
  }

  @Test
  void helpNamesEveryOptionTheEnvironmentAndTheDocs() {
    assertTrue(Main.HELP.startsWith(Main.USAGE + "\n"), Main.HELP);
    for (String part : new String[] {"--config FILE", "--cluster", "-h, --help", "FANIN_HTTP_PORT", "FANIN_JAVA_OPTS",
        "docs/operations.md"}) {
      assertTrue(Main.HELP.contains(part), part + " missing from:\n" + Main.HELP);
    }
    assertTrue(Main.USAGE.contains("[--config FILE] [--cluster] [--help]"), Main.USAGE);
  }
}
