package io.turnout.controlplane.console;

/**
 * The console's server-rendered HTML: the login form and one shell per page (navigation, the
 * operator's name, logout, and the session's CSRF token for the script), which the script fills
 * from the admin API. Everything interpolated is escaped.
 */
final class ConsolePages {

  private static final String[][] NAV = {{"overview", "/console", "Overview"}, {"routes", "/console/routes", "Routes"},
      {"gates", "/console/gates", "Gates"}, {"drills", "/console/drills", "Drills"},
      {"probes", "/console/probes", "Probes"}, {"audit", "/console/audit", "Audit"}};

  private ConsolePages() {}

  static String login(String error) {
    String message = error == null ? "" : "<p class=\"alert breach\" role=\"alert\">" + escape(error) + "</p>";
    return head("Log in") + """
        <body class="login">
        <main class="login-box">
          <h1>Turnout console</h1>
          %s
          <form method="post" action="/console/login">
            <label for="token">Admin token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
            <button type="submit" class="primary" id="login">Log in</button>
          </form>
          <p class="hint">The token of an operator under <code>admin.tokens</code> in turnout.yaml.</p>
        </main>
        </body></html>
        """.formatted(message);
  }

  static String shell(String page, String id, ConsoleSessions.Session session) {
    StringBuilder nav = new StringBuilder();
    for (String[] item : NAV) {
      boolean current = item[0].equals(page) || ("drill".equals(page) && "drills".equals(item[0]));
      nav.append("<a href=\"").append(item[1]).append('"').append(current ? " aria-current=\"page\"" : "").append('>')
          .append(item[2]).append("</a>");
    }
    return head(page) + """
        <body data-page="%s" data-id="%s">
        <header class="top">
          <strong class="brand">Turnout</strong>
          <nav>%s</nav>
          <span id="live" class="badge inconclusive" title="Live updates from the node">connecting</span>
          <span class="who">operator <b id="operator">%s</b></span>
          <form method="post" action="/console/logout" class="logout">
            <input type="hidden" name="csrf" value="%s">
            <button type="submit" id="logout">Log out</button>
          </form>
        </header>
        <main id="app"><p class="loading">Loading…</p></main>
        <dialog id="confirm"></dialog>
        <script src="/console/assets/console.js"></script>
        <script src="/console/assets/console-scopes.js"></script>
        <script src="/console/assets/console-drills.js"></script>
        </body></html>
        """.formatted(escape(page), escape(id == null ? "" : id), nav, escape(session.operator()),
        escape(session.csrf()));
  }

  private static String head(String title) {
    return """
        <!doctype html>
        <html lang="en"><head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Turnout · %s</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        </head>
        """.formatted(escape(title));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
