package io.turnout.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: left-aligned columns two spaces apart, headers in capitals, "-" for empty cells. */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = Arrays.stream(headers).map(h -> h.toUpperCase(java.util.Locale.ROOT)).toList();
  }

  /** Adds a row; missing cells and nulls print as "-". */
  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      Object cell = i < cells.length ? cells[i] : null;
      String text = cell == null ? "" : String.valueOf(cell).replace('\n', ' ');
      row.add(text.isEmpty() ? "-" : text);
    }
    rows.add(row);
    return this;
  }

  /** How many rows were added. */
  public int size() {
    return rows.size();
  }

  /** Prints the headers and rows, each column as wide as its widest cell. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
