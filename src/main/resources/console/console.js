// Turnout console, the core: fills the server-rendered shell from the admin API (with the session
// cookie; changes carry the CSRF header) and re-reads the page whenever the node pushes an event.
// No build step, no library: plain DOM, text nodes only (nothing from the API becomes markup).
// The pages' renderers are in console-scopes.js and console-drills.js.
(function () {
  'use strict';

  const page = document.body.dataset.page;
  const pageId = document.body.dataset.id;
  const csrfInput = document.querySelector('input[name=csrf]');
  const csrf = csrfInput ? csrfInput.value : '';
  const app = document.getElementById('app');
  const dialog = document.getElementById('confirm');
  const recent = [];
  let notice = null;

  // ---- DOM and API helpers ------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : v);
    });
    children.flat(Infinity).forEach((c) => {
      if (c === null || c === undefined || c === false) return;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  /** A state by colour and word: ok, breach, inconclusive, frozen, paused, and drill states. */
  function badge(state, label) {
    const cls = { pass: 'ok', passed: 'ok', ok: 'ok', complete: 'ok', breach: 'breach', failed: 'breach',
      blocked: 'breach', inconclusive: 'inconclusive', awaiting_approval: 'inconclusive', frozen: 'frozen',
      paused: 'paused', running: 'frozen', aborted: 'muted' }[state] || 'muted';
    const word = label || { pass: 'ok', awaiting_approval: 'awaiting approval' }[state] || String(state).replace(/_/g, ' ');
    return h('span', { class: 'badge ' + cls, 'data-state': state }, word);
  }

  function scopeName(s) {
    return s.environment + ' / ' + s.tenant_or_cohort + ' / ' + s.model_alias;
  }

  function sameScope(a, b) {
    return a.environment === b.environment && a.tenant_or_cohort === b.tenant_or_cohort
      && a.model_alias === b.model_alias;
  }

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function num(v) {
    if (v === null || v === undefined) return '—';
    return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v);
  }

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['X-Turnout-CSRF'] = csrf;
    const res = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401) {
      window.location.assign('/console/login');
      throw new Error('session ended');
    }
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = json.error || {};
      const err = new Error(e.message || ('HTTP ' + res.status));
      err.status = res.status;
      err.code = e.code;
      err.json = json;
      throw err;
    }
    return json;
  }

  function say(kind, text) {
    notice = { kind, text };
    showNotice();
  }

  function showNotice() {
    const old = document.getElementById('notice');
    if (old) old.remove();
    if (!notice) return;
    const el = h('p', { id: 'notice', class: 'alert ' + notice.kind, role: 'status' }, notice.text,
      h('button', { class: 'link', onclick: () => { notice = null; showNotice(); } }, 'dismiss'));
    app.prepend(el);
  }

  /**
   * The confirmation every change goes through: names what changes, asks for the reason (required),
   * and only then calls {@code action(reason)}.
   */
  function confirmChange(title, lines, buttonText, danger, action) {
    notice = null;
    showNotice();
    dialog.replaceChildren();
    const reason = h('textarea', { id: 'confirm-reason', rows: 3,
      placeholder: 'Why (goes into the audit log)' });
    const error = h('p', { class: 'alert breach', hidden: true });
    const ok = h('button', { id: 'confirm-ok', class: danger ? 'danger' : 'primary', type: 'submit' }, buttonText);
    const form = h('form', { method: 'dialog', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        error.hidden = false;
        error.textContent = 'A reason is required.';
        return;
      }
      ok.disabled = true;
      try {
        await action(reason.value.trim());
        dialog.close();
        refresh();
      } catch (e) {
        error.hidden = false;
        error.textContent = (e.code ? e.code + ': ' : '') + e.message;
        ok.disabled = false;
      }
    } },
    h('h2', {}, title),
    lines.map((l) => h('p', { class: 'confirm-line' }, l)),
    h('label', { for: 'confirm-reason' }, 'Reason'), reason, error,
    h('div', { class: 'buttons' }, ok,
      h('button', { type: 'button', id: 'confirm-cancel', onclick: () => dialog.close() }, 'Cancel')));
    dialog.append(form);
    dialog.showModal();
    reason.focus();
  }

  // ---- Rendering loop -----------------------------------------------------------------------

  let rendering = false;
  let again = false;
  let timer = null;

  /** Re-reads the page's data (debounced); typed text in inputs with an id survives. */
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(render, 150);
  }

  async function render() {
    if (rendering) { again = true; return; }
    if (dialog.open) { again = true; return; }
    rendering = true;
    const saved = {};
    app.querySelectorAll('input[id], textarea[id], select[id]').forEach((el) => { saved[el.id] = el.value; });
    const focused = document.activeElement && document.activeElement.id;
    try {
      const view = await (PAGES[page] || PAGES.overview)();
      app.replaceChildren(view);
      Object.entries(saved).forEach(([id, value]) => {
        const el = document.getElementById(id);
        if (el && value !== '' && el.tagName !== 'SELECT') el.value = value;
        else if (el && el.tagName === 'SELECT' && [...el.options].some((o) => o.value === value)) el.value = value;
      });
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      showNotice();
    } catch (e) {
      app.replaceChildren(h('p', { class: 'alert breach' }, 'Could not read the node: ' + e.message));
    } finally {
      rendering = false;
      app.dataset.rendered = String(Number(app.dataset.rendered || 0) + 1);
      if (again) { again = false; refresh(); }
    }
  }

  dialog.addEventListener('close', () => { if (again) { again = false; refresh(); } });

  function live() {
    const badgeEl = document.getElementById('live');
    const source = new EventSource('/console/events');
    source.addEventListener('hello', () => {
      badgeEl.className = 'badge ok';
      badgeEl.textContent = 'live';
      badgeEl.dataset.state = 'live';
    });
    ['route', 'verdict', 'drill', 'member'].forEach((type) => source.addEventListener(type, (ev) => {
      let data = {};
      try { data = JSON.parse(ev.data); } catch (ignored) { /* not JSON */ }
      recent.unshift({ type, data, at: new Date().toISOString() });
      recent.length = Math.min(recent.length, 12);
      refresh();
    }));
    source.onerror = () => {
      badgeEl.className = 'badge inconclusive';
      badgeEl.textContent = 'reconnecting';
      badgeEl.dataset.state = 'reconnecting';
      // The stream ends when the session does: a closed stream whose session is gone goes to login.
      fetch('/admin/routes', { credentials: 'same-origin' }).then((r) => {
        if (r.status === 401) window.location.assign('/console/login');
      }).catch(() => {});
    };
  }

  // ---- Shared readings ----------------------------------------------------------------------

  function versionsOf(status) {
    const byId = {};
    (status.route_map.routes || []).forEach((r) => { byId[r.route_version] = r; });
    return byId;
  }

  function scopeState(pointer) {
    if (pointer.frozen) return badge('frozen', 'frozen' + (pointer.held_by ? ' by ' + pointer.held_by : ''));
    if (pointer.paused) return badge('paused', 'paused: ' + pointer.paused);
    return badge('ok', 'serving');
  }

  function verdictChip(v) {
    const title = v.gate + ': ' + num(v.value) + ' vs ' + num(v.threshold) + ', ' + v.samples + '/' + v.min_samples
      + ' samples';
    return h('span', { class: 'chip', 'data-gate': v.gate, title }, badge(v.state), ' ', v.gate);
  }

  /** Breaches one by one with their numbers; the other states as counts (names on hover). */
  function verdictSummary(verdicts) {
    const byState = {};
    verdicts.forEach((v) => { (byState[v.state] = byState[v.state] || []).push(v); });
    return [(byState.breach || []).map((v) => h('div', {}, verdictChip(v), h('span', { class: 'sub' }, ' '
      + num(v.value) + ' > ' + num(v.threshold) + ' over ' + v.samples + ' samples'))),
    h('div', {}, Object.entries(byState).filter(([state]) => state !== 'breach').map(([state, list]) =>
      h('span', { class: 'chip', title: list.map((v) => v.gate).join(', ') }, badge(state), ' ×' + list.length)),
    h('a', { href: '/console/gates', class: 'sub' }, 'details'))];
  }

  function activate(scope, from, to, revision) {
    confirmChange('Activate ' + to + '?', ['Scope: ' + scopeName(scope), 'From ' + from + ' to ' + to + '.'],
      'Activate ' + to, false, (reason) => api('POST', '/admin/scopes/activate', Object.assign({}, scope,
        { route_version: to, reason, expected_revision: revision })).then((r) => say('ok',
        'Activated ' + to + ' on ' + scopeName(scope) + ' (revision ' + r.revision + ').')));
  }

  function rollback(scope, from, to, revision) {
    confirmChange('Roll back to ' + to + '?', ['Scope: ' + scopeName(scope), 'From ' + from + ' back to ' + to + '.'],
      'Roll back to ' + to, true, (reason) => api('POST', '/admin/scopes/rollback', Object.assign({}, scope,
        { reason, expected_revision: revision })).then((r) => say('ok',
        'Rolled back ' + scopeName(scope) + ' to ' + to + ' (revision ' + r.revision + ').')));
  }

  function resume(scope, version, held, revision) {
    confirmChange('Resume ' + version + '?', ['Scope: ' + scopeName(scope), 'Lifts "' + held + '" and keeps serving '
      + version + ' (from ' + version + ' to ' + version + ').'], 'Resume ' + version, false,
    (reason) => api('POST', '/admin/scopes/resume', Object.assign({}, scope, { reason, expected_revision: revision }))
      .then((r) => say('ok', 'Resumed ' + scopeName(scope) + ' (revision ' + r.revision + ').')));
  }

  /** An alert per frozen or paused scope, with the two ways out: roll back, or resume. */
  function heldScopes(status) {
    const versions = versionsOf(status);
    return status.pointers.filter((p) => p.frozen || p.paused).map((p) => {
      const scope = { environment: p.environment, tenant_or_cohort: p.tenant_or_cohort, model_alias: p.model_alias };
      const held = p.frozen ? 'frozen' + (p.held_by ? ' by ' + p.held_by : '') : 'paused: ' + p.paused;
      const target = (versions[p.route_version] || {}).rollback_route_version;
      return h('div', { class: 'alert breach held', 'data-scope': scopeName(scope) }, scopeState(p), ' ',
        h('b', {}, scopeName(scope)), ' on ' + p.route_version + ' ',
        target && target !== p.route_version ? h('button', { class: 'danger', 'data-action': 'rollback',
          onclick: () => rollback(scope, p.route_version, target, status.revision) }, 'Roll back to ' + target) : null,
        ' ', h('button', { class: 'primary', 'data-action': 'resume',
          onclick: () => resume(scope, p.route_version, held, status.revision) }, 'Resume'));
    });
  }

  // ---- What the page scripts use ------------------------------------------------------------

  const PAGES = {};

  window.Turnout = {
    pages: PAGES, pageId, recent, h, badge, api, say, confirmChange, refresh, scopeName, sameScope, when, num,
    versionsOf, scopeState, verdictChip, verdictSummary, heldScopes, activate, rollback, resume,
  };

  // The page scripts (loaded after this one) register their renderers before the DOM is complete.
  document.addEventListener('DOMContentLoaded', () => {
    live();
    render();
  });
})();
