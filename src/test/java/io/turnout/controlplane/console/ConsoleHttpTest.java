package io.turnout.controlplane.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.SteppedClock;
import io.turnout.testing.TestHttp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's login, session cookie, CSRF check, logout, expiry and event stream over plain
 * HTTP against a real node (no browser), on an injected clock.
 */
@ExtendWith(VertxExtension.class)
class ConsoleHttpTest {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private Vertx vertx;
  private Sim sim;
  private SteppedClock clock;
  private ConsoleNode node;

  /** A logged-in browser, as far as HTTP goes: its cookie and the CSRF token its page holds. */
  private record Login(String cookie, String csrf, String setCookie) {
    MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap().add("cookie", cookie);
    }
  }

  @BeforeEach
  void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    clock = new SteppedClock(Instant.parse("2026-12-04T03:00:00Z"));
    node = ConsoleNode.start(vertx, sim, clock);
  }

  @AfterEach
  void stop() {
    node.stop();
  }

  @Test
  void aWrongToken_getsTheFormAgain_withoutACookie() {
    TestHttp.Response refused = postForm("/console/login", "token=not-the-token", MultiMap.caseInsensitiveMultiMap());

    assertEquals(401, refused.status());
    assertNull(refused.header("set-cookie"));
    assertTrue(refused.text().contains("That is not an admin token"), refused.text());
  }

  @Test
  void aLoginPostedFromAnotherSite_isRefused_evenWithTheRightToken() {
    TestHttp.Response refused = postForm("/console/login", "token=" + ConsoleNode.TOKEN,
        MultiMap.caseInsensitiveMultiMap().add("origin", "http://evil.example"));

    assertEquals(403, refused.status());
    assertNull(refused.header("set-cookie"));
  }

  @Test
  void login_setsAStrictHttpOnlyCookie_withARandomId_andTheConsoleNamesTheOperator() {
    Login first = login();
    Login second = login();

    String cookie = first.setCookie();
    assertTrue(cookie.startsWith(ConsoleAuth.COOKIE + "="), cookie);
    assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("; httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);
    String id = first.cookie().substring(ConsoleAuth.COOKIE.length() + 1);
    assertTrue(id.length() >= 40, id);
    assertFalse(cookie.contains(ConsoleNode.TOKEN), "the cookie is not the token");
    assertNotEquals(first.cookie(), second.cookie());
    assertNotEquals(first.csrf(), second.csrf());
    TestHttp.Response page = node.admin().send(HttpMethod.GET, "/console", null, first.headers());
    assertEquals(200, page.status());
    assertTrue(page.text().contains("<b id=\"operator\">alice</b>"), page.text());
    assertTrue(page.header("content-security-policy").contains("frame-ancestors 'none'"));
  }

  @Test
  void withoutASession_pagesRedirectToLogin_andTheApiAnd_eventStreamAnswer401() {
    TestHttp.Response page = node.admin().send(HttpMethod.GET, "/console/gates", null);
    TestHttp.Response api = node.admin().send(HttpMethod.GET, "/admin/routes", null);
    TestHttp.Response events = node.admin().send(HttpMethod.GET, "/console/events", null);
    TestHttp.Response forged = node.admin().send(HttpMethod.GET, "/admin/routes", null,
        MultiMap.caseInsensitiveMultiMap().add("cookie", ConsoleAuth.COOKIE + "=made-up"));

    assertEquals(303, page.status());
    assertEquals("/console/login", page.header("location"));
    assertEquals(401, api.status());
    assertEquals(401, events.status());
    assertEquals(401, forged.status());
    assertEquals("session_expired", forged.json().getJsonObject("error").getString("code"));
  }

  @Test
  void aChangeWithTheCookie_needsTheSessionsCsrfHeader_andCarriesTheOperatorsName() {
    Login login = login();
    long revision = revision(login);
    Buffer body = activation("chat-canary").toBuffer();

    TestHttp.Response noHeader = node.admin().send(HttpMethod.POST, "/admin/scopes/activate", body,
        login.headers().add("content-type", "application/json"));
    TestHttp.Response wrongHeader = node.admin().send(HttpMethod.POST, "/admin/scopes/activate", body,
        login.headers().add("content-type", "application/json").add(ConsoleAuth.CSRF_HEADER, login.csrf() + "x"));

    assertEquals(403, noHeader.status());
    assertEquals("csrf_failed", noHeader.json().getJsonObject("error").getString("code"));
    assertEquals(403, wrongHeader.status());
    assertEquals(revision, revision(login), "a refused change leaves nothing behind");

    TestHttp.Response done = node.admin().send(HttpMethod.POST, "/admin/scopes/activate", body,
        login.headers().add("content-type", "application/json").add(ConsoleAuth.CSRF_HEADER, login.csrf()));

    assertEquals(200, done.status(), done.text());
    JsonObject entry = node.admin().send(HttpMethod.GET, "/admin/audit?limit=5", null, login.headers()).json()
        .getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> "activate".equals(e.getString("action"))).findFirst().orElseThrow();
    assertEquals("alice", entry.getString("operator"));
    assertEquals("console drill", entry.getString("reason"));
  }

  @Test
  void logout_endsTheSession_andClearsTheCookie() {
    Login login = login();

    TestHttp.Response noToken = postForm("/console/logout", "", login.headers());
    assertEquals(403, noToken.status(), "a forged logout is refused");
    assertEquals(200, node.admin().send(HttpMethod.GET, "/admin/routes", null, login.headers()).status());

    TestHttp.Response out = postForm("/console/logout", "csrf=" + login.csrf(), login.headers());

    assertEquals(303, out.status());
    assertEquals("/console/login", out.header("location"));
    assertTrue(out.header("set-cookie").contains("Max-Age=0"), out.header("set-cookie"));
    assertEquals(401, node.admin().send(HttpMethod.GET, "/admin/routes", null, login.headers()).status());
    assertEquals(303, node.admin().send(HttpMethod.GET, "/console", null, login.headers()).status());
  }

  @Test
  void aSessionEnds_anHourAfterItsLastRequest_andTwelveHoursAfterLogin_whateverItsUse() {
    Login idle = login();
    Login busy = login();

    clock.advance(Duration.ofMinutes(59));
    assertEquals(200, node.admin().send(HttpMethod.GET, "/admin/routes", null, busy.headers()).status());
    clock.advance(Duration.ofMinutes(1));

    TestHttp.Response expired = node.admin().send(HttpMethod.GET, "/admin/routes", null, idle.headers());
    assertEquals(401, expired.status());
    assertEquals("session_expired", expired.json().getJsonObject("error").getString("code"));
    assertEquals(303, node.admin().send(HttpMethod.GET, "/console", null, idle.headers()).status());
    // the busy one was used 1 minute ago: still good, and stays good while used
    for (int i = 0; i < 13; i++) {
      assertEquals(200, node.admin().send(HttpMethod.GET, "/admin/routes", null, busy.headers()).status(),
          "used at " + clock.instant());
      clock.advance(Duration.ofMinutes(50));
    }
    // 1 h + 13 x 50 min = 11 h 50 min after login; 10 more minutes and its 12 hours are up
    clock.advance(Duration.ofMinutes(10));
    assertEquals(401, node.admin().send(HttpMethod.GET, "/admin/routes", null, busy.headers()).status());
  }

  @Test
  void theEventStream_relaysRouteChangesToALoggedInConsole() {
    Login login = login();
    StringBuffer received = new StringBuffer();
    java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    node.admin().raw().request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/console/events")
            .setHeaders(login.headers()))
        .compose(request -> request.send())
        .onSuccess(response -> response.handler(chunk -> received.append(chunk.toString()))
            .endHandler(v -> ended.set(true)));
    Eventually.await(vertx, "the stream says hello", 5_000, () -> received.toString().contains("event: hello"));
    assertTrue(received.toString().contains("\"operator\":\"alice\""), received.toString());

    assertEquals(200, node.bearer("/admin/scopes/activate", activation("chat-canary")).status());

    Eventually.await(vertx, "the activation arrives on the stream", 5_000,
        () -> received.toString().contains("event: route") && received.toString().contains("\"to\":\"chat-canary\""));
    assertFalse(ended.get());

    // AND once the session is logged out, the stream ends at the next event instead of relaying it
    assertEquals(303, postForm("/console/logout", "csrf=" + login.csrf(), login.headers()).status());
    int before = received.length();
    assertEquals(200, node.bearer("/admin/scopes/rollback", activation("chat-v1")).status());
    Eventually.await(vertx, "the stream ended", 5_000, ended::get);
    assertFalse(received.substring(before).contains("\"to\":\"chat-v1\""), received.substring(before));
  }

  @Test
  void theDrillReport_opensWithTheSessionCookie() {
    Login login = login();
    String id = node.bearer("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("internal_version", "chat-internal-v1").put("reason", "report"))
        .json().getString("id");

    TestHttp.Response report = node.admin().send(HttpMethod.GET, "/admin/drills/" + id + "/report", null,
        login.headers());

    assertEquals(200, report.status(), report.text());
    assertTrue(report.header("content-type").startsWith("text/html"));
    assertTrue(report.text().contains(id));
  }

  private Login login() {
    TestHttp.Response response = postForm("/console/login",
        "token=" + URLEncoder.encode(ConsoleNode.TOKEN, StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
    assertEquals(303, response.status(), response.text());
    assertEquals("/console", response.header("location"));
    String setCookie = response.header("set-cookie");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    TestHttp.Response page = node.admin().send(HttpMethod.GET, "/console", null,
        MultiMap.caseInsensitiveMultiMap().add("cookie", cookie));
    Matcher csrf = CSRF.matcher(page.text());
    assertTrue(csrf.find(), page.text());
    return new Login(cookie, csrf.group(1), setCookie);
  }

  private TestHttp.Response postForm(String path, String form, MultiMap headers) {
    return node.admin().send(HttpMethod.POST, path, Buffer.buffer(form),
        headers.add("content-type", "application/x-www-form-urlencoded"));
  }

  private long revision(Login login) {
    return node.admin().send(HttpMethod.GET, "/admin/routes", null, login.headers()).json().getLong("revision");
  }

  private static JsonObject activation(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "console drill");
  }
}
