package io.turnout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.cli.Cli;
import io.turnout.cli.CliIo;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar turnout.jar ...}: which arguments run a node or the simulator, and which the operator CLI. */
class MainCliDispatchTest {

  @Test
  void noArgumentsConfAndSimulator_runTheNodeAsBefore_everythingElseIsTheCli() {
    assertFalse(Main.operatorCommand(new String[0]));
    assertFalse(Main.operatorCommand(new String[] {"--conf", "conf"}));
    assertFalse(Main.operatorCommand(new String[] {"--conf=conf"}));
    assertFalse(Main.operatorCommand(new String[] {"simulator"}));
    assertFalse(Main.operatorCommand(new String[] {"simulator", "--conf", "conf"}));
    assertFalse(Main.operatorCommand(new String[] {"node", "--conf", "conf"}));
    assertTrue(Main.operatorCommand(new String[] {"--help"}));
    assertTrue(Main.operatorCommand(new String[] {"simulator", "--help"}));
    assertTrue(Main.operatorCommand(new String[] {"status"}));
    assertTrue(Main.operatorCommand(new String[] {"drill", "run", "chat"}));
  }

  @Test
  void help_listsEveryCommand_andEachCommandHasItsOwn() {
    String[] help = {"--help"};
    assertTrue(Main.operatorCommand(help));
    StringWriter out = new StringWriter();
    int code = Cli.execute(help, io(out));
    assertEquals(0, code);
    for (String command : List.of("node", "simulator", "validate", "status", "routes", "audit", "members", "gates",
        "activate", "rollback", "resume", "probe", "drill")) {
      assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + " in\n" + out);
    }
    assertTrue(out.toString().contains("3  refused by the node"), out.toString());
    for (String[] sub : List.of(new String[] {"drill", "approve", "--help"}, new String[] {"routes", "diff", "--help"},
        new String[] {"probe", "run", "--help"}, new String[] {"simulator", "--help"})) {
      StringWriter subOut = new StringWriter();
      assertEquals(0, Cli.execute(sub, io(subOut)), String.join(" ", sub));
      assertTrue(subOut.toString().startsWith("Usage: turnout " + sub[0] + " "), subOut.toString());
    }
  }

  private static CliIo io(StringWriter out) {
    return new CliIo(new BufferedReader(new StringReader("")), new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true), Map.of());
  }
}
