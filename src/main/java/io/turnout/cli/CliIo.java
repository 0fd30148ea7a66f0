package io.turnout.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What a command talks to: the terminal (stdin for y/N prompts, stdout for results, stderr for
 * prompts and errors) and the environment ({@code TURNOUT_URL}, {@code TURNOUT_TOKEN}, ...).
 * Injected so tests run the CLI in-process with scripted input and a chosen environment.
 */
public record CliIo(BufferedReader in, PrintWriter out, PrintWriter err, Map<String, String> env) {

  /** The process's own terminal and environment. */
  public static CliIo system() {
    return new CliIo(new BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)),
        new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
  }

  /** An environment variable, or null when unset or blank. */
  public String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Asks {@code question} on stderr and reads one line: true only for {@code y} or {@code yes}.
   * End of input (no terminal, a closed pipe) is a no.
   */
  public boolean confirm(String question) {
    err.print(question + " [y/N] ");
    err.flush();
    try {
      String answer = in.readLine();
      if (answer == null) {
        err.println();
        return false;
      }
      answer = answer.trim().toLowerCase(java.util.Locale.ROOT);
      return answer.equals("y") || answer.equals("yes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
