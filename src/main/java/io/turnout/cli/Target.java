package io.turnout.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command that talks to a node shares: which node ({@code --url}, else
 * {@code TURNOUT_URL}, else the admin listener's default), with which admin token, and the output
 * format. The token is never a flag value (it would land in shell history): it comes from
 * {@code --token-file FILE}, else {@code TURNOUT_TOKEN}, else the file {@code TURNOUT_TOKEN_FILE}
 * names. The options are the root command's, inherited by every command, so they may stand
 * before or after the command ({@code turnout --url U status}, {@code turnout status --url U}).
 */
public final class Target {

  /** The node's admin base URL when neither {@code --url} nor {@code TURNOUT_URL} is given. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8081";
  public static final String ENV_URL = "TURNOUT_URL";
  public static final String ENV_TOKEN = "TURNOUT_TOKEN";
  public static final String ENV_TOKEN_FILE = "TURNOUT_TOKEN_FILE";

  /** Output formats of {@code -o}. */
  public enum Format { table, json }

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "The node's admin base URL (default: $TURNOUT_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "A file holding the admin token (default: $TURNOUT_TOKEN, else the file $TURNOUT_TOKEN_FILE names).")
  Path tokenFile;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (json: the node's JSON, for scripts). Default: ${DEFAULT-VALUE}.")
  Format format;

  /** The target options of the invocation {@code spec} belongs to (held by the root command). */
  static Target of(CommandSpec spec) {
    return ((Cli) spec.root().userObject()).target;
  }

  /** The base URL to send to, without a trailing slash. */
  public String baseUrl(CliIo io) {
    String base = url != null ? url : io.env(ENV_URL) != null ? io.env(ENV_URL) : DEFAULT_URL;
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The admin token, or a usage failure that says where to put one. Never printed. */
  public String token(CliIo io) {
    if (tokenFile != null) {
      return read(tokenFile, "--token-file");
    }
    if (io.env(ENV_TOKEN) != null) {
      return io.env(ENV_TOKEN).trim();
    }
    if (io.env(ENV_TOKEN_FILE) != null) {
      return read(Path.of(io.env(ENV_TOKEN_FILE)), ENV_TOKEN_FILE);
    }
    throw new CliFailure(Exit.USAGE, "no admin token: set " + ENV_TOKEN + ", or name a file holding it with "
        + "--token-file FILE or " + ENV_TOKEN_FILE);
  }

  private static String read(Path file, String from) {
    String token;
    try {
      token = Files.readString(file).trim();
    } catch (IOException e) {
      throw new CliFailure(Exit.USAGE, "cannot read the admin token file " + file + " (" + from + "): "
          + e.getClass().getSimpleName());
    }
    if (token.isEmpty()) {
      throw new CliFailure(Exit.USAGE, "the admin token file " + file + " (" + from + ") is empty");
    }
    return token;
  }

  /** A client for the node this invocation targets. */
  public AdminClient client(CliIo io) {
    return new AdminClient(baseUrl(io), token(io));
  }

  /** The output this invocation asked for. */
  public Output output(CliIo io) {
    return new Output(io.out(), format == Format.json);
  }
}
