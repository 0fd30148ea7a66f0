package io.turnout.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node} and {@code simulator}: run a node, or only its provider simulator, as
 * {@code java -jar turnout.jar [--conf DIR]} always did. {@link Main} starts both itself (they
 * keep running after {@code main} returns); these commands put them in the CLI's help.
 */
final class NodeCommands {

  private NodeCommands() {}

  /** Runs a node (the default when the jar gets no command). */
  @Command(name = "node", mixinStandardHelpOptions = true,
      description = "Run a Turnout node (the default: 'java -jar turnout.jar [--conf DIR]').")
  static final class Node implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "DIR",
        description = "The config directory (default: $TURNOUT_CONF_DIR, else ./conf).")
    Path conf;

    @Override
    public Integer call() {
      io.turnout.node.NodeLauncher.run(args(List.of(), conf));
      return Exit.OK;
    }
  }

  /** Runs only the config's provider simulator. */
  @Command(name = "simulator", mixinStandardHelpOptions = true,
      description = "Run only the config's provider simulator ('java -jar turnout.jar simulator [--conf DIR]').")
  static final class Simulator implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "DIR",
        description = "The config directory (default: $TURNOUT_CONF_DIR, else ./conf).")
    Path conf;

    @Override
    public Integer call() {
      io.turnout.node.NodeLauncher.run(args(List.of("simulator"), conf));
      return Exit.OK;
    }
  }

  private static String[] args(List<String> first, Path conf) {
    List<String> args = new ArrayList<>(first);
    if (conf != null) {
      args.add("--conf");
      args.add(conf.toString());
    }
    return args.toArray(String[]::new);
  }
}
