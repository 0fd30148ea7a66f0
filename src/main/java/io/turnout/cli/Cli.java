package io.turnout.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator CLI, {@code java -jar turnout.jar <command>}: reads and changes a node through its
 * admin API (never through the node's internals), and checks a config directory offline. Exit
 * statuses are {@link Exit}'s.
 */
@Command(name = "turnout", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = {"Turnout: a routing node, its provider simulator, and the operator CLI for a running node.",
        "With no command (or only --conf DIR) it runs a node, exactly like 'turnout node'."},
    subcommands = {NodeCommands.Node.class, NodeCommands.Simulator.class, ValidateCommand.class,
        StatusCommand.class, RoutesCommand.class, AuditCommand.class, MembersCommand.class, GatesCommand.class,
        ScopeCommands.Activate.class, ScopeCommands.Rollback.class, ScopeCommands.Resume.class,
        ProbeCommand.class, DrillCommands.class},
    footer = {"", "Exit status:", "  0  ok", "  1  failed: node unreachable, 5xx, unexpected error",
        "  2  usage error, no admin token", "  3  refused by the node (400/401/403/404/409): nothing changed",
        "  4  blocked: a drill step blocked, a probe failed, an approval declined",
        "  5  invalid configuration (validate)",
        "Target: --url or $TURNOUT_URL; token: $TURNOUT_TOKEN, --token-file FILE or $TURNOUT_TOKEN_FILE."})
public final class Cli implements java.util.concurrent.Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where to send and how to print: options every command inherits. */
  @CommandLine.Mixin
  Target target;

  private Cli() {}

  /** Without a command (reached only in-process: the jar's Main runs a node then): the usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.USAGE;
  }

  /** Runs the CLI on {@code args} with the process's terminal: the exit status. */
  public static int run(String[] args) {
    return execute(args, CliIo.system());
  }

  /** Runs the CLI on {@code args} with {@code io}: the exit status ({@link Exit}). */
  public static int execute(String[] args, CliIo io) {
    CommandLine cli = commandLine(io);
    int code = cli.execute(args);
    io.out().flush();
    io.err().flush();
    return code;
  }

  /** The command tree, its commands built with {@code io}. */
  static CommandLine commandLine(CliIo io) {
    CommandLine cli = new CommandLine(new Cli(), new Factory(io));
    cli.setOut(io.out()).setErr(io.err());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof CliFailure failure) {
        io.err().println("turnout: " + failure.getMessage());
        return failure.exitCode();
      }
      io.err().println("turnout: unexpected error: " + e);
      return Exit.FAILED;
    });
    return cli;
  }

  /** Builds commands that take a {@link CliIo} with it, the rest with picocli's default factory. */
  private record Factory(CliIo io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        Constructor<K> constructor = type.getDeclaredConstructor(CliIo.class);
        constructor.setAccessible(true);
        return constructor.newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }

  /** The jar's version from its manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"turnout " + (version == null ? "(development build)" : version)};
    }
  }
}
