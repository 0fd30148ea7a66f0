package io.turnout.cli;

import io.turnout.config.ConfigException;
import io.turnout.node.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code validate [--conf DIR]}: loads turnout.yaml and its route map with the node's own loader,
 * starting nothing (like {@code nginx -t}). The loader stops at the first error, so this prints
 * that one, with its file and field path, and says so.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check turnout.yaml and the route map it names without starting a node.",
        "Prints the error with its file and field path; exit status 5 when the configuration is invalid."})
final class ValidateCommand implements Callable<Integer> {

  private final CliIo io;

  @Option(names = "--conf", paramLabel = "DIR",
      description = "The config directory (default: $TURNOUT_CONF_DIR, else ./conf).")
  Path conf;

  ValidateCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Path dir = (conf != null ? conf : Path.of(io.env("TURNOUT_CONF_DIR") != null ? io.env("TURNOUT_CONF_DIR") : "conf"))
        .toAbsolutePath().normalize();
    NodeConfig config;
    try {
      // Secret references resolve as the node would resolve them: from this environment and files.
      config = NodeConfig.load(dir, io.env());
    } catch (ConfigException e) {
      io.err().println(e.file() + ": " + (e.path().isEmpty() ? "(file)" : e.path()) + ": " + e.reason());
      io.err().println("configuration in " + dir + " is INVALID (the loader stops at the first error: fix it and "
          + "run validate again)");
      return Exit.INVALID_CONFIG;
    } catch (RuntimeException e) {
      io.err().println(dir.resolve(NodeConfig.FILE) + ": " + e.getMessage());
      io.err().println("configuration in " + dir + " is INVALID");
      return Exit.INVALID_CONFIG;
    }
    io.out().println("configuration in " + dir + " is valid: " + config.providers().size() + " provider(s), "
        + config.routes().aliases().size() + " alias(es), " + config.routes().versions().size()
        + " route version(s), route map " + dir.resolve(config.routing().file()).normalize());
    return Exit.OK;
  }
}
