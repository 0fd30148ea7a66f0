package io.turnout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in the sources either: {@link ArchitectureTest} reads bytecode, which loses
 * a constant the compiler inlined and a class only a Javadoc link names; a reader of the sources
 * still sees those as dependencies. Every qualified {@code io.turnout} reference in
 * {@code src/main/java} (imports, fully qualified names, links) counts here.
 */
class SourcePackageCyclesTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.turnout\\.[a-z][a-z0-9_.]*\\.[A-Z]\\w*");

  @Test
  void noPackageCycleInTheSources() throws IOException {
    Map<String, String> packageOf = new HashMap<>();
    Map<String, Path> files = new HashMap<>();
    try (Stream<Path> paths = Files.walk(MAIN)) {
      for (Path file : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
        String name = MAIN.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
        packageOf.put(name, name.substring(0, name.lastIndexOf('.')));
        files.put(name, file);
      }
    }
    Map<String, Set<String>> edges = new TreeMap<>();
    for (Map.Entry<String, Path> file : files.entrySet()) {
      String from = packageOf.get(file.getKey());
      Matcher m = REFERENCE.matcher(Files.readString(file.getValue()));
      while (m.find()) {
        String[] parts = m.group().split("\\.");
        for (int i = parts.length; i > 1; i--) {
          String candidate = String.join(".", java.util.Arrays.copyOf(parts, i));
          if (packageOf.containsKey(candidate)) {
            String to = packageOf.get(candidate);
            if (!to.equals(from)) {
              edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            }
            break;
          }
        }
      }
    }
    assertTrue(edges.size() > 10, "the sources were read: " + edges.keySet());
    assertEquals(List.of(), cycles(edges), "package cycles in the sources");
  }

  /** Strongly connected components of more than one package (Tarjan). */
  private static List<Set<String>> cycles(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    List<String> stack = new ArrayList<>();
    List<Set<String>> found = new ArrayList<>();
    int[] next = {0};
    for (String v : edges.keySet()) {
      if (!index.containsKey(v)) {
        visit(v, edges, index, low, stack, found, next);
      }
    }
    return found;
  }

  private static void visit(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, List<String> stack, List<Set<String>> found, int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w, edges, index, low, stack, found, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.remove(stack.size() - 1);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
