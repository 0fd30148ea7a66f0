package io.turnout.controlplane.console;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless chromium) against a real node: an operator logs
 * in, reads the overview, activates and rolls back a scope through the confirmation, starts a
 * drill and approves a step, watches a gate verdict turn without reloading, and is refused
 * without a session or without the CSRF header. Screenshots of the pages go to
 * target/screenshots/.
 */
class ConsoleBrowserTest {

  private static final String SCOPE = "production / * / chat";
  private static Browser browser;

  private Vertx vertx;
  private Sim sim;
  private ConsoleNode node;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void startNode() {
    vertx = Vertx.vertx();
    sim = Sim.start(vertx);
    sim.script("primary", new JsonObject().put("latency_ms", 20));
    sim.script("cometapi", new JsonObject().put("latency_ms", 20));
    node = ConsoleNode.start(vertx, sim, Clock.systemUTC());
  }

  @AfterEach
  void stopNode() {
    browser.driver().get(node.adminUrl() + "/console/login");
    browser.driver().manage().deleteAllCookies();
    node.stop();
    vertx.close().await();
  }

  @Test
  void withoutASession_thePagesGoToLogin_andTheApiAnswers401() {
    browser.driver().get(node.adminUrl() + "/console/drills");

    browser.waiting().until(ExpectedConditions.urlToBe(node.adminUrl() + "/console/login"));
    assertEquals(401L, fetchStatus("GET", "/admin/routes", false));
    browser.screenshot("login");
  }

  @Test
  void aChangeWithoutTheCsrfHeader_isRefused_evenWithTheSession() {
    logIn();
    long revision = node.bearer("/admin/routes", null).json().getLong("revision");

    assertEquals(403L, fetchStatus("POST", "/admin/scopes/activate", false));
    assertEquals(revision, node.bearer("/admin/routes", null).json().getLong("revision"));
    assertEquals("chat-v1", activeVersion());
  }

  @Test
  void theOverview_showsEachScopeWithItsVersionModeStateAndMembers() {
    logIn();

    WebElement row = scopeRow();
    assertEquals("chat-v1", row.findElement(By.cssSelector("td.version")).getText());
    assertTrue(row.getText().contains("primary_only"), row.getText());
    assertTrue(row.getText().contains("SERVING"), row.getText());
    WebElement members = browser.visible(By.cssSelector("#members tbody tr"));
    assertTrue(members.getText().contains(node.node().node().id()), members.getText());
    browser.visible(By.cssSelector("#live[data-state=live]"));
    browser.screenshot("overview");
  }

  @Test
  void anOperatorActivatesAndRollsBack_throughAConfirmationNamingTheScopeAndBothVersions() {
    logIn();
    new Select(scopeRow().findElement(By.cssSelector("select"))).selectByValue("chat-canary");
    scopeRow().findElement(By.cssSelector("button[data-action=activate]")).click();

    WebElement dialog = browser.visible(By.id("confirm"));
    assertTrue(dialog.getText().contains(SCOPE), dialog.getText());
    assertTrue(dialog.getText().contains("From chat-v1 to chat-canary"), dialog.getText());
    browser.screenshot("confirm-activate");
    browser.driver().findElement(By.id("confirm-ok")).click();
    // no reason: refused in the page, nothing sent
    assertTrue(browser.visible(By.cssSelector("#confirm .alert")).getText().contains("reason"));
    assertEquals("chat-v1", activeVersion());
    browser.driver().findElement(By.id("confirm-reason")).sendKeys("canary for the 03:00 drill");
    browser.driver().findElement(By.id("confirm-ok")).click();

    browser.waiting().until(d -> "chat-canary".equals(scopeRow().findElement(By.cssSelector("td.version")).getText()));
    assertEquals("chat-canary", activeVersion());
    assertTrue(browser.visible(By.id("notice")).getText().contains("Activated chat-canary"));

    scopeRow().findElement(By.cssSelector("button[data-action=rollback]")).click();
    dialog = browser.visible(By.id("confirm"));
    assertTrue(dialog.getText().contains(SCOPE), dialog.getText());
    assertTrue(dialog.getText().contains("From chat-canary back to chat-v1"), dialog.getText());
    browser.driver().findElement(By.id("confirm-reason")).sendKeys("rollback drill");
    browser.driver().findElement(By.id("confirm-ok")).click();

    browser.waiting().until(d -> "chat-v1".equals(scopeRow().findElement(By.cssSelector("td.version")).getText()));
    assertEquals("chat-v1", activeVersion());
    List<JsonObject> changes = node.bearer("/admin/audit?limit=10", null).json().getJsonArray("entries").stream()
        .map(JsonObject.class::cast).filter(e -> List.of("activate", "rollback").contains(e.getString("action")))
        .toList();
    assertEquals(2, changes.size(), changes.toString());
    changes.forEach(e -> assertEquals("alice", e.getString("operator"), e.encode()));
    browser.driver().get(node.adminUrl() + "/console/audit");
    browser.waiting().until(d -> d.findElement(By.id("audit")).getText().contains("rollback drill"));
    browser.screenshot("audit");
  }

  @Test
  void anOperatorStartsADrill_approvesAStep_andSeesItAdvance_thenOpensTheReport() {
    logIn();
    browser.driver().get(node.adminUrl() + "/console/drills");
    new Select(browser.visible(By.id("drill-alias"))).selectByValue("chat");
    new Select(browser.visible(By.id("drill-canary"))).selectByValue("chat-canary");
    new Select(browser.visible(By.id("drill-internal"))).selectByValue("chat-internal-v1");
    browser.screenshot("drills");
    browser.driver().findElement(By.id("drill-start-button")).click();
    browser.visible(By.id("confirm-reason")).sendKeys("quarterly drill");
    browser.driver().findElement(By.id("confirm-ok")).click();

    WebElement step = browser.visible(By.id("drill-step"));
    assertEquals("prepared", step.getText());
    assertEquals("probes", browser.visible(By.id("approve")).getAttribute("data-step"));
    approve("probes", "contract first");

    WebElement probes = browser.visible(By.cssSelector("#timeline li[data-step=probes]"));
    assertTrue(probes.getText().contains("alice") && probes.getText().contains("contract first"), probes.getText());
    assertEquals("internal", browser.visible(By.id("approve")).getAttribute("data-step"));
    String id = browser.driver().findElement(By.id("drill-id")).getText();
    JsonObject drill = node.bearer("/admin/drills/" + id, null).json();
    assertEquals("probes", drill.getString("step"));
    // the next approval moves the internal cohort; its traffic shows up in the step's evidence
    approve("internal", "internal users first");
    MultiMap internal = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer client-internal");
    for (int i = 0; i < 5; i++) {
      node.node().http().chat(ChatRequests.plain("chat"), internal);
    }
    browser.screenshot("drill");

    browser.driver().get(browser.driver().findElement(By.id("report")).getAttribute("href"));
    assertTrue(browser.driver().getPageSource().contains(id), "the HTML report opens with the session cookie");
  }

  @Test
  void aGateVerdictTurns_onThePageWithoutReloading() {
    assertEquals(200, node.bearer("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", "chat-canary").put("reason", "canary")).status());
    logIn();
    browser.driver().get(node.adminUrl() + "/console/gates");
    browser.visible(By.cssSelector("#live[data-state=live]"));
    browser.driver().executeScript("window.notReloaded = true;");
    // one request, so the canary's verdict exists and is still short of samples
    chat(1);
    WebElement before = browser.waiting().until(d -> d.findElement(By.cssSelector(
        "#verdicts tr[data-gate=canary_5xx][data-version=chat-canary] .badge")));
    assertEquals("inconclusive", before.getAttribute("data-state"));

    sim.failNext("cometapi", status(500), 40);
    chat(30);

    browser.waiting().until(d -> "breach".equals(d.findElement(By.cssSelector(
        "#verdicts tr[data-gate=canary_5xx][data-version=chat-canary] .badge")).getAttribute("data-state")));
    assertEquals(Boolean.TRUE, browser.driver().executeScript("return window.notReloaded === true;"));
    // the gate froze the scope: the way out is on this page too, still without a reload
    WebElement held = browser.visible(By.cssSelector(".held[data-scope='" + SCOPE + "']"));
    assertTrue(held.getText().contains("Roll back to chat-v1") && held.getText().contains("Resume"), held.getText());
    browser.screenshot("gates");
    browser.driver().get(node.adminUrl() + "/console");
    browser.waiting().until(d -> scopeRow().getText().contains("FROZEN"));
    browser.waiting().withMessage(() -> scopeRow().getText()).until(d -> !scopeRow().findElements(
        By.cssSelector(".chip[data-gate=canary_5xx] .badge[data-state=breach]")).isEmpty());
    browser.screenshot("overview-breach");
  }

  @Test
  void theProbesPage_runsAVersionsProbes_andListsThemFailingFirst() {
    logIn();
    browser.driver().get(node.adminUrl() + "/console/probes");
    sim.failNext("cometapi", status(500), 1);
    browser.visible(By.cssSelector("section[data-version=chat-canary] button")).click();

    String rows = "section[data-version=chat-canary] tbody tr";
    browser.waiting().until(d -> !d.findElements(By.cssSelector(rows)).isEmpty());
    // read in one script: the page re-renders on every pushed event
    List<?> states = (List<?>) browser.driver().executeScript("return [...document.querySelectorAll(arguments[0])]"
        + ".map(r => r.querySelector('.badge').dataset.state)", rows);
    Object run = browser.driver().executeScript(
        "return document.querySelector('section[data-version=chat-canary] h3 .badge').dataset.state");
    assertTrue(states.size() > 5, states.toString());
    assertEquals("failed", run, "the cometapi 500 failed a fallback probe");
    assertEquals("failed", states.get(0), "failing probes first: " + states);
    int firstOk = states.indexOf("pass");
    assertTrue(firstOk > 0 && states.subList(firstOk, states.size()).stream().allMatch("pass"::equals),
        states.toString());
    browser.screenshot("probes");
    browser.driver().get(node.adminUrl() + "/console/routes");
    WebElement diff = browser.visible(By.cssSelector("section[data-version=chat-canary] table.diff"));
    assertTrue(diff.getText().contains("mode") && diff.getText().contains("\"canary\""), diff.getText());
    browser.screenshot("routes");
  }

  /**
   * Approves {@code step} through the page's button and confirmation until the drill shows it
   * done: a step that comes back blocked (e.g. a probe slow on a loaded machine) is shown as
   * blocked with the same step on the button, and approved again, as an operator would.
   */
  private void approve(String step, String reason) {
    for (int attempt = 1; ; attempt++) {
      WebElement button = browser.waiting().until(d -> {
        WebElement b = d.findElement(By.id("approve"));
        return b.isEnabled() ? b : null;
      });
      assertEquals(step, button.getAttribute("data-step"));
      button.click();
      WebElement dialog = browser.visible(By.id("confirm"));
      assertTrue(dialog.getText().contains("this approval runs " + step), dialog.getText());
      browser.driver().findElement(By.id("confirm-reason")).sendKeys(reason);
      browser.driver().findElement(By.id("confirm-ok")).click();
      // the page answers with a notice once the node replied (the dialog closes then)
      String notice = browser.waiting().until(d -> {
        List<WebElement> found = d.findElements(By.id("notice"));
        return found.isEmpty() || d.findElement(By.id("confirm")).isDisplayed() ? null : found.get(0).getText();
      });
      browser.waiting().until(d -> step.equals(d.findElement(By.id("drill-step")).getText()));
      if (!notice.startsWith("Blocked")) {
        assertTrue(notice.startsWith("Approved: now at " + step + " (awaiting approval)"), notice);
        browser.waiting().until(d -> "awaiting_approval".equals(d.findElement(By.cssSelector(".action-panel .badge"))
            .getAttribute("data-state")));
        return;
      }
      browser.waiting().until(d -> "blocked".equals(d.findElement(By.cssSelector(".action-panel .badge"))
          .getAttribute("data-state")));
      assertTrue(browser.visible(By.id("blocked")).getText().startsWith("Blocked"));
      assertTrue(attempt < 3, "step " + step + " stayed blocked");
    }
  }

  private void logIn() {
    browser.driver().get(node.adminUrl() + "/console/login");
    browser.visible(By.id("token")).sendKeys(ConsoleNode.TOKEN);
    browser.driver().findElement(By.id("login")).click();
    browser.waiting().until(ExpectedConditions.urlToBe(node.adminUrl() + "/console"));
    assertEquals("alice", browser.visible(By.id("operator")).getText());
  }

  private WebElement scopeRow() {
    return browser.waiting().until(d -> d.findElement(By.cssSelector("#scopes tr[data-scope='" + SCOPE + "']")));
  }

  private String activeVersion() {
    return node.bearer("/admin/routes", null).json().getJsonArray("pointers").stream().map(JsonObject.class::cast)
        .filter(p -> "*".equals(p.getString("tenant_or_cohort"))).findFirst().orElseThrow().getString("route_version");
  }

  /** The status the page's own fetch gets, with its cookie; {@code csrf} adds the page's token. */
  private long fetchStatus(String method, String path, boolean csrf) {
    Object status = browser.driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const headers = {'content-type': 'application/json'};
        if (arguments[2]) headers['X-Turnout-CSRF'] = document.querySelector('input[name=csrf]').value;
        fetch(arguments[1], {method: arguments[0], credentials: 'same-origin', headers,
            body: arguments[0] === 'GET' ? undefined : JSON.stringify({tenant_or_cohort: '*', model_alias: 'chat',
              route_version: 'chat-canary', reason: 'forged'})})
          .then(r => done(r.status), e => done(String(e)));
        """, method, path, csrf);
    return ((Number) status).longValue();
  }

  private void chat(int count) {
    MultiMap acme = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer client-acme");
    for (int i = 0; i < count; i++) {
      node.node().http().chat(ChatRequests.plain("chat"), acme);
    }
  }
}
