package io.turnout;

import io.turnout.cli.Cli;
import io.turnout.node.NodeLauncher;

/**
 * Runs a Turnout node: {@code java -jar turnout.jar [--conf DIR]}, or only the provider
 * simulator of that config: {@code java -jar turnout.jar simulator [--conf DIR]}
 * ({@link NodeLauncher}); any other command is the operator CLI ({@link Cli}, e.g.
 * {@code turnout.jar status}).
 */
public final class Main {

  /** Selects the config directory when {@code --conf} is not given. */
  public static final String ENV_CONF_DIR = NodeLauncher.ENV_CONF_DIR;

  private Main() {}

  public static void main(String[] args) {
    if (operatorCommand(args)) {
      System.exit(Cli.run(args));
      return;
    }
    NodeLauncher.run(args);
  }

  /**
   * Whether {@code args} are for the operator CLI ({@code io.turnout.cli.Cli}): anything but no
   * arguments, {@code --conf DIR}, {@code node [--conf DIR]} and {@code simulator [--conf DIR]},
   * which start a node or the simulator here as they always did; {@code --help} anywhere is the CLI's.
   */
  static boolean operatorCommand(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--version") || arg.equals("-V")) {
        return true;
      }
    }
    return args.length > 0 && !args[0].equals("node") && !args[0].equals("simulator") && !args[0].startsWith("--conf");
  }

}
