package dev.fanin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line: --config FILE and --cluster. */
class MainTest {
  @Test
  void clusterFlagIsAcceptedBesideConfig() {
    String[] args = {"--config", "conf/config.json", "--cluster"};
    assertTrue(Main.clusterFlag(args));
    assertEquals(Path.of("conf/config.json"), Main.configFile(args));
    assertFalse(Main.clusterFlag(new String[] {"--config=x.json"}));
  }

  @Test
  void unknownArgumentsAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> Main.configFile(new String[] {"--clustered"}));
    assertTrue(e.getMessage().contains("--cluster"), e.getMessage());
  }
}
