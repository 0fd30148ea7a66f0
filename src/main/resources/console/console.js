// Turnout console: fills the server-rendered shell from the admin API (with the session cookie;
// changes carry the CSRF header) and re-reads the page whenever the node pushes an event.
// No build step, no library: plain DOM, text nodes only (nothing from the API becomes markup).
(function () {
  'use strict';

  const page = document.body.dataset.page;
  const pageId = document.body.dataset.id;
  const csrfInput = document.querySelector('input[name=csrf]');
  const csrf = csrfInput ? csrfInput.value : '';
  const app = document.getElementById('app');
  const dialog = document.getElementById('confirm');
  const DRILL_STEPS = ['prepared', 'probes', 'internal', 'canary', 'rollback', 'drain_check', 'reenable', 'complete'];
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

  // ---- Pages ----------------------------------------------------------------------------------

  const PAGES = {};

  PAGES.overview = async function () {
    const [status, gates, drills] = await Promise.all([api('GET', '/admin/routes'), api('GET', '/admin/gates'),
      api('GET', '/admin/drills').catch(() => ({ drills: [] }))]);
    const versions = versionsOf(status);
    const members = Object.entries(status.members || {});
    const rows = status.pointers.map((p, i) => {
      const scope = { environment: p.environment, tenant_or_cohort: p.tenant_or_cohort, model_alias: p.model_alias };
      const route = versions[p.route_version] || {};
      const share = p.canary_share !== undefined ? p.canary_share : route.canary_share;
      const rank = { breach: 0, inconclusive: 1, pass: 2 };
      const verdicts = (gates.verdicts || []).filter((v) => sameScope(v.scope, scope)
        && v.route_version === p.route_version).sort((a, b) => (rank[a.state] ?? 3) - (rank[b.state] ?? 3));
      const breached = verdicts.some((v) => v.state === 'breach');
      const others = Object.values(versions).filter((r) => sameScope(r, scope) && r.route_version !== p.route_version);
      const pick = h('select', { id: 'activate-' + i, 'aria-label': 'version to activate' },
        others.map((r) => h('option', { value: r.route_version }, r.route_version)));
      const target = route.rollback_route_version;
      const held = p.frozen ? 'frozen' + (p.held_by ? ' by ' + p.held_by : '') : p.paused ? 'paused: ' + p.paused : null;
      return h('tr', { 'data-scope': scopeName(scope), class: breached ? 'row-breach' : '' },
        h('td', {}, h('b', {}, scope.model_alias), h('div', { class: 'sub' }, scope.environment + ' / '
          + scope.tenant_or_cohort)),
        h('td', { class: 'version' }, p.route_version),
        h('td', {}, route.mode || '?'),
        h('td', {}, share === undefined || share === null ? '—' : Math.round(share * 1000) / 10 + ' %'),
        h('td', {}, scopeState(p)),
        h('td', { class: 'verdicts' }, verdicts.length ? verdictSummary(verdicts) : h('span', { class: 'sub' },
          'no verdict yet')),
        h('td', { class: 'actions' },
          held ? h('button', { class: 'primary', 'data-action': 'resume',
            onclick: () => resume(scope, p.route_version, held, status.revision) }, 'Resume') : null,
          target && target !== p.route_version ? h('button', { class: breached || held ? 'danger' : 'warn',
            'data-action': 'rollback', onclick: () => rollback(scope, p.route_version, target, status.revision) },
          'Roll back to ' + target) : null,
          others.length ? h('span', { class: 'activate' }, pick, h('button', { 'data-action': 'activate',
            onclick: () => activate(scope, p.route_version, pick.value, status.revision) }, 'Activate…')) : null));
    });
    const active = (drills.drills || []).filter((d) => d.step !== 'complete' && d.step !== 'aborted');
    return h('div', {},
      h('h1', {}, 'Overview ', h('span', { class: 'sub' }, status.environment + ' · revision ' + status.revision)),
      active.map((d) => h('p', { class: 'alert inconclusive' }, 'Drill ', h('a', { href: '/console/drills/'
        + encodeURIComponent(d.id) }, d.id), ' on ' + scopeName(d.scope) + ': ', badge(d.status), ' at step ' + d.step)),
      h('table', { id: 'scopes' },
        h('thead', {}, h('tr', {}, ['Scope', 'Active version', 'Mode', 'Canary share', 'State', 'Gate verdicts',
          'Actions'].map((t) => h('th', {}, t)))),
        h('tbody', {}, rows)),
      h('h2', {}, 'Members'),
      h('table', { id: 'members' }, h('thead', {}, h('tr', {}, h('th', {}, 'Member'), h('th', {}, 'Applied revision'),
        h('th', {}, 'Since'))),
      h('tbody', {}, members.map(([node, m]) => h('tr', {}, h('td', {}, node + (node === status.node ? ' (this node)' : '')),
        h('td', {}, m.revision === status.revision ? badge('ok', String(m.revision)) : badge('inconclusive',
          m.revision + ' (behind)')), h('td', {}, when(m.time)))))),
      status.last_rejection ? h('p', { class: 'alert breach' }, 'Last refused route file edit: '
        + JSON.stringify(status.last_rejection)) : null,
      h('h2', {}, 'Live events'),
      h('ul', { id: 'events', class: 'events' }, recent.length ? recent.map((e) => h('li', {}, when(e.at) + ' ',
        h('b', {}, e.type), ' ' + summary(e))) : h('li', { class: 'sub' }, 'none since this page opened')));
  };

  function summary(e) {
    const d = e.data || {};
    if (e.type === 'verdict' && d.verdict) return d.verdict.gate + ' ' + d.verdict.state + ' on ' + d.verdict.route_version;
    if (e.type === 'drill') return (d.id || '') + ' ' + (d.step || '') + ' ' + (d.status || '');
    if (e.type === 'member') return 'member ' + String(d.node).slice(0, 8) + ' at revision ' + d.revision;
    return (d.type || '') + ' ' + (d.from ? d.from + ' → ' + d.to : '') + (d.operator ? ' by ' + d.operator : '');
  }

  /** The fields where a version differs from another, as [path, this, that]. */
  function diff(a, b) {
    const out = [];
    const skip = new Set(['route_version']);
    (function walk(x, y, path) {
      const keys = new Set([...Object.keys(x || {}), ...Object.keys(y || {})]);
      keys.forEach((k) => {
        if (!path && skip.has(k)) return;
        const p = path ? path + '.' + k : k;
        const u = x ? x[k] : undefined;
        const v = y ? y[k] : undefined;
        if (u && v && typeof u === 'object' && typeof v === 'object' && !Array.isArray(u) && !Array.isArray(v)) {
          walk(u, v, p);
        } else if (JSON.stringify(u) !== JSON.stringify(v)) {
          out.push([p, u === undefined ? '—' : JSON.stringify(u), v === undefined ? '—' : JSON.stringify(v)]);
        }
      });
    })(a, b, '');
    return out;
  }

  PAGES.routes = async function () {
    const status = await api('GET', '/admin/routes');
    const versions = versionsOf(status);
    const active = new Set(status.pointers.map((p) => p.route_version));
    const aliases = Object.entries(status.route_map.aliases || {});
    return h('div', {},
      h('h1', {}, 'Routes ', h('span', { class: 'sub' }, 'revision ' + status.revision + ' · ' + status.source)),
      h('h2', {}, 'Aliases'),
      h('table', {}, h('thead', {}, h('tr', {}, ['Alias', 'Provider models', 'Rollback target'].map((t) => h('th', {}, t)))),
        h('tbody', {}, aliases.map(([name, a]) => h('tr', {}, h('td', {}, name),
          h('td', {}, Object.entries(a.provider_models || {}).map(([p, m]) => p + ': ' + m).join(', ')),
          h('td', {}, a.rollback_target || '—'))))),
      h('h2', {}, 'Versions'),
      Object.values(versions).map((r) => {
        const target = versions[r.rollback_route_version];
        const changes = target && target !== r ? diff(r, target) : [];
        return h('section', { class: 'card', 'data-version': r.route_version },
          h('h3', {}, r.route_version, ' ', active.has(r.route_version) ? badge('ok', 'active') : null,
            h('span', { class: 'sub' }, ' ' + scopeName(r) + ' · ' + r.mode + ' · owner ' + r.owner
              + (r.expires_at ? ' · expires ' + when(r.expires_at) : ''))),
          target === r || !target ? h('p', { class: 'sub' }, 'Its own rollback version.')
            : h('details', { open: true },
              h('summary', {}, 'Diff against its rollback version ' + r.rollback_route_version + ' (' + changes.length
                + ' fields)'),
              h('table', { class: 'diff' }, h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, r.route_version),
                h('th', {}, r.rollback_route_version))),
              h('tbody', {}, changes.map(([p, u, v]) => h('tr', {}, h('td', {}, p), h('td', { class: 'new' }, u),
                h('td', { class: 'old' }, v)))))));
      }));
  };

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

  PAGES.gates = async function () {
    const [gates, status] = await Promise.all([api('GET', '/admin/gates'), api('GET', '/admin/routes')]);
    const order = { breach: 0, inconclusive: 1, pass: 2 };
    const verdicts = (gates.verdicts || []).slice().sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3));
    return h('div', {},
      h('h1', {}, 'Gates ', h('span', { class: 'sub' }, (gates.enabled ? 'enabled' : 'disabled') + ' · tick '
        + gates.tick_ms + ' ms · ' + gates.members_reporting + ' member(s) reporting')),
      heldScopes(status),
      h('h2', {}, 'Live verdicts'),
      h('table', { id: 'verdicts' }, h('thead', {}, h('tr', {}, ['State', 'Gate', 'Scope', 'Version', 'Value',
        'Threshold', 'Samples', 'Window', 'Action', 'At'].map((t) => h('th', {}, t)))),
      h('tbody', {}, verdicts.map((v) => h('tr', { 'data-gate': v.gate, 'data-version': v.route_version },
        h('td', {}, badge(v.state)), h('td', {}, v.gate + (v.dry_run ? ' (dry run)' : '')), h('td', {}, scopeName(v.scope)),
        h('td', {}, v.route_version), h('td', { class: 'value' }, num(v.value)), h('td', {}, '> ' + num(v.threshold)),
        h('td', { class: 'samples' }, v.samples + ' / ' + v.min_samples), h('td', {}, v.window_ms / 1000 + ' s'),
        h('td', {}, v.action), h('td', {}, when(v.at)))))),
      h('h2', {}, 'Latest actions'),
      (gates.actions || []).length ? h('ul', { id: 'gate-actions', class: 'events' }, gates.actions.slice().reverse()
        .map((a) => h('li', {}, when(a.time) + ' ', h('b', {}, a.decision || a.action || ''), ' '
          + (a.operator || '') + ' on ' + (a.scope ? scopeName(a.scope) : '') + (a.from ? ': ' + a.from + ' → ' + a.to : '')
          + (a.reason ? ' (' + a.reason + ')' : ''))))
        : h('p', { class: 'sub' }, 'No gate has changed a route.'),
      h('h2', {}, 'Rules'),
      h('table', {}, h('thead', {}, h('tr', {}, ['Rule', 'Signal', 'Role', 'Above', 'Window', 'Min samples', 'Action',
        'Dry run'].map((t) => h('th', {}, t)))),
      h('tbody', {}, (gates.rules || []).map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, r.signal),
        h('td', {}, r.role + (r.provider ? ' (' + r.provider + ')' : '')), h('td', {}, num(r.above)),
        h('td', {}, r.window_ms / 1000 + ' s'), h('td', {}, r.min_samples), h('td', {}, r.action),
        h('td', {}, r.dry_run ? 'yes' : 'no'))))));
  };

  PAGES.drills = async function () {
    const [list, status] = await Promise.all([api('GET', '/admin/drills'), api('GET', '/admin/routes')]);
    const versions = Object.keys(versionsOf(status));
    const aliases = Object.keys(status.route_map.aliases || {});
    const field = (id, label, options, required) => h('label', { for: id }, label,
      options ? h('select', { id, required }, required ? null : h('option', { value: '' }, '(none)'),
        options.map((o) => h('option', { value: o }, o)))
        : h('input', { id, required, placeholder: label }));
    const start = h('form', { id: 'drill-start', class: 'card', onsubmit: (ev) => {
      ev.preventDefault();
      const alias = document.getElementById('drill-alias').value;
      const canary = document.getElementById('drill-canary').value;
      const internal = document.getElementById('drill-internal').value;
      const body = { model_alias: alias, canary_version: canary };
      if (internal) body.internal_version = internal;
      confirmChange('Start a drill of ' + canary + '?', ['Alias ' + alias + ': the canary ' + canary
        + (internal ? ' and internal version ' + internal : '') + ', and the way back.'], 'Start the drill', false,
      (reason) => api('POST', '/admin/drills', Object.assign(body, { reason })).then((d) => {
        window.location.assign('/console/drills/' + encodeURIComponent(d.id));
      }));
    } },
    h('h2', {}, 'Start a drill'),
    field('drill-alias', 'Model alias', aliases, true), field('drill-canary', 'Canary version', versions, true),
    field('drill-internal', 'Internal cohort version', versions, false),
    h('button', { class: 'primary', type: 'submit', id: 'drill-start-button' }, 'Start…'));
    return h('div', {}, h('h1', {}, 'Drills'), start,
      h('table', { id: 'drills' }, h('thead', {}, h('tr', {}, ['Drill', 'Scope', 'Step', 'Status', 'Started']
        .map((t) => h('th', {}, t)))),
      h('tbody', {}, (list.drills || []).map((d) => h('tr', {}, h('td', {}, h('a', { href: '/console/drills/'
        + encodeURIComponent(d.id) }, d.id)), h('td', {}, d.scope ? scopeName(d.scope) : ''), h('td', {}, d.step),
      h('td', {}, badge(d.status)), h('td', {}, when(d.started_at) + (d.started_by ? ' by ' + d.started_by : '')))))));
  };

  /** The step an approval moves to: the node's next_step, else derived from step and status. */
  function nextStep(d) {
    if (d.next_step !== undefined) return d.next_step;
    if (d.step === 'complete' || d.step === 'aborted' || d.status === 'complete' || d.status === 'aborted') return null;
    // A blocked step is tried again by the next approval.
    if (d.status === 'blocked') return d.step;
    const i = DRILL_STEPS.indexOf(d.step);
    return i >= 0 && i + 1 < DRILL_STEPS.length ? DRILL_STEPS[i + 1] : null;
  }

  /** One row per route version, route and provider a step's traffic went to (one row when none). */
  function phaseRows(p) {
    const groups = Object.entries(p.counts || {});
    const cells = (g) => {
      if (!g) return [h('td', { colspan: 5, class: 'sub' }, 'no traffic')];
      const [key, c] = g;
      const [version, role, provider] = key.split('|');
      const errors = Object.values(c.e || {}).reduce((a, b) => a + b, 0);
      return [h('td', {}, version), h('td', {}, role + ' / ' + provider), h('td', {}, num(c.q || 0)),
        h('td', {}, num(c.n || 0)), h('td', { class: errors ? 'bad' : '' }, num(errors)
          + (errors ? ' ' + JSON.stringify(c.e) : ''))];
    };
    const rows = groups.length ? groups : [null];
    return rows.map((g, i) => h('tr', { 'data-step': p.step }, i === 0 ? [h('td', { rowspan: rows.length }, p.step),
      h('td', { rowspan: rows.length }, when(p.from)), h('td', { rowspan: rows.length }, when(p.to))] : null, cells(g)));
  }

  PAGES.drill = async function () {
    const d = await api('GET', '/admin/drills/' + encodeURIComponent(pageId));
    const next = nextStep(d);
    const finished = next === null;
    const last = (d.steps || [])[d.steps.length - 1];
    const running = d.status === 'running';
    const approve = finished ? null : h('button', { class: 'primary', id: 'approve', 'data-step': next,
      disabled: running, onclick: () =>
      confirmChange('Approve step ' + next + '?', ['Drill ' + d.id + ' on ' + scopeName(d.scope),
        'Now at ' + d.step + ' (' + String(d.status).replace(/_/g, ' ') + '); this approval runs ' + next
          + (d.status === 'blocked' ? ' again' : '') + '.',
        'Canary ' + d.canary_version + ', way back to ' + d.previous_version + '.'], 'Approve ' + next, false,
      (reason) => api('POST', '/admin/drills/' + encodeURIComponent(d.id) + '/advance', { reason, expected_step: next })
        .then((r) => {
          const lastStep = (r.steps || [])[r.steps.length - 1] || {};
          if (lastStep.passed === false || r.status === 'blocked') say('breach', 'Blocked at ' + (lastStep.step || next)
            + ': ' + (lastStep.detail || ''));
          else say('ok', 'Approved: now at ' + r.step + ' (' + String(r.status).replace(/_/g, ' ') + ').');
        }, (e) => {
          // The drill moved on since this page was drawn (another operator, another tab): nothing ran.
          if (e.code !== 'step_mismatch') throw e;
          say('inconclusive', 'Not approved: the drill is no longer where this page showed it (' + e.message
            + '). The page now shows its current step.');
        })) }, running ? 'A step is running…' : (d.status === 'blocked' ? 'Retry ' : 'Approve ') + next + '…');
    const abort = finished ? null : h('button', { class: 'danger', id: 'abort', onclick: () =>
      confirmChange('Abort drill ' + d.id + '?', ['Scope ' + scopeName(d.scope) + ' at step ' + d.step + '.',
        'Back from ' + d.canary_version + ' to ' + d.previous_version + '.'], 'Abort the drill', true,
      (reason) => api('POST', '/admin/drills/' + encodeURIComponent(d.id) + '/abort', { reason })
        .then((r) => say('ok', 'Aborted at ' + r.step + '.'))) }, 'Abort…');
    const byRoute = (d.evidence || {}).by_route || {};
    return h('div', {},
      h('h1', {}, 'Drill ', h('span', { id: 'drill-id' }, d.id)),
      h('div', { class: 'card action-panel' },
        h('p', { class: 'big' }, 'Step ', h('b', { id: 'drill-step' }, d.step), ' ', badge(d.status),
          next ? h('span', { class: 'sub' }, ' · next: ', h('b', { id: 'drill-next' }, next)) : null),
        d.status === 'blocked' ? h('p', { class: 'alert breach', id: 'blocked' }, 'Blocked: '
          + (d.blocked_reason || (last && last.detail) || '')) : null,
        h('p', { class: 'sub' }, scopeName(d.scope) + ' · canary ' + d.canary_version + ' · way back ' + d.previous_version
          + (d.internal ? ' · internal ' + d.internal.version + ' (back to ' + d.internal.previous + ')' : '')),
        h('div', { class: 'buttons' }, approve, abort,
          h('a', { href: '/admin/drills/' + encodeURIComponent(d.id) + '/report', target: '_blank', id: 'report',
            rel: 'noopener' }, 'Open the report'))),
      h('h2', {}, 'Timeline'),
      h('ol', { id: 'timeline', class: 'timeline' }, (d.steps || []).map((s) => h('li', { 'data-step': s.step },
        badge(s.passed ? 'pass' : 'blocked', s.passed ? 'done' : 'blocked'), ' ', h('b', {}, s.step), ' by ',
        h('span', { class: 'operator' }, s.operator), ' at ' + when(s.at) + (s.reason ? ' — “' + s.reason + '”' : ''),
        h('div', { class: 'sub' }, s.detail || '')))),
      h('h2', {}, 'Evidence by route'),
      Object.keys(byRoute).length ? h('table', { id: 'evidence' }, h('thead', {}, h('tr', {}, ['Route version',
        'Requests', 'Attempts', 'Errors', 'Error rate', 'Latency p50 / p95 / p99', 'Timeouts', 'Fallbacks', 'Tokens',
        'Providers'].map((t) => h('th', {}, t)))),
      h('tbody', {}, Object.entries(byRoute).map(([route, ev]) => h('tr', { 'data-route': route }, h('td', {}, route),
        h('td', {}, num(ev.requests)), h('td', {}, num(ev.attempts)), h('td', {}, num(ev.errors)
          + (Object.keys(ev.errors_by_class || {}).length ? ' ' + JSON.stringify(ev.errors_by_class) : '')),
        h('td', {}, ev.error_rate === undefined ? '—' : (ev.error_rate * 100).toFixed(2) + ' %'),
        h('td', {}, ev.latency_ms ? [ev.latency_ms.p50, ev.latency_ms.p95, ev.latency_ms.p99].map(num).join(' / ') + ' ms'
          : '—'), h('td', {}, num(ev.timeouts)), h('td', {}, num(ev.fallbacks)),
        h('td', {}, ev.usage ? num(ev.usage.total_tokens) : '—'),
        h('td', {}, Object.entries(ev.providers || {}).map(([p, c]) => p + ' (' + c.role + '): ' + c.attempts
          + ' attempts, ' + c.errors + ' errors').join('; '))))))
        : h('p', { class: 'sub' }, 'No traffic measured yet.'),
      (d.phases || []).length ? h('div', {}, h('h2', {}, 'Each step by route'), h('table', { id: 'phases' },
        h('thead', {}, h('tr', {}, ['Step', 'From', 'To', 'Route version', 'Route / provider', 'Requests', 'Attempts',
          'Errors'].map((t) => h('th', {}, t)))),
        h('tbody', {}, d.phases.map(phaseRows)))) : null,
      (d.probe_runs || []).length ? h('div', {}, h('h2', {}, 'Probe runs'), h('ul', {}, d.probe_runs.map((r) =>
        h('li', {}, badge(r.passed ? 'pass' : 'failed', r.passed ? 'passed' : 'failed'), ' ' + r.route_version
          + (r.error ? ': ' + r.error : ''))))) : null);
  };

  PAGES.probes = async function () {
    const status = await api('GET', '/admin/routes');
    const versions = Object.keys(versionsOf(status));
    const runs = await Promise.all(versions.map((v) => api('GET', '/admin/probes/' + encodeURIComponent(v))
      .catch((e) => (e.status === 404 ? null : { error: e.message }))));
    return h('div', {}, h('h1', {}, 'Probes'), versions.map((v, i) => {
      const run = runs[i];
      const probes = run && run.probes ? run.probes.slice().sort((a, b) => Number(a.passed) - Number(b.passed)) : [];
      const button = h('button', { class: 'primary', 'data-version': v, onclick: async () => {
        button.disabled = true;
        button.textContent = 'Running…';
        try {
          const r = await api('POST', '/admin/probes/run', { route_version: v });
          say(r.passed ? 'ok' : 'breach', 'Probes of ' + v + ' ' + (r.passed ? 'passed' : 'FAILED') + '.');
        } catch (e) {
          say('breach', 'Probe run of ' + v + ' refused: ' + e.message);
        }
        refresh();
      } }, 'Run probes');
      return h('section', { class: 'card', 'data-version': v },
        h('h3', {}, v, ' ', run && run.probes ? badge(run.passed ? 'pass' : 'failed', run.passed ? 'passed' : 'failed')
          : badge('inconclusive', 'no run'), ' ', button,
        run && run.time ? h('span', { class: 'sub' }, ' ' + when(run.time) + ' by ' + run.operator) : null),
        probes.length ? h('table', {}, h('thead', {}, h('tr', {}, ['', 'Probe', 'Provider', 'Role', 'Detail',
          'Latency'].map((t) => h('th', {}, t)))), h('tbody', {}, probes.map((p) => h('tr', {
          class: p.passed ? '' : 'row-breach' }, h('td', {}, badge(p.passed ? 'pass' : 'failed', p.passed ? 'ok'
          : 'failed')), h('td', {}, p.name), h('td', {}, p.provider), h('td', {}, p.role), h('td', {}, p.detail),
          h('td', {}, p.latency_ms + ' ms'))))) : null);
    }));
  };

  PAGES.audit = async function () {
    const audit = await api('GET', '/admin/audit?limit=200');
    const entries = (audit.entries || []).slice().reverse();
    return h('div', {}, h('h1', {}, 'Audit'),
      h('table', { id: 'audit' }, h('thead', {}, h('tr', {}, ['Time', 'Action', 'Operator', 'Scope', 'Change',
        'Reason', 'Revision', 'Node'].map((t) => h('th', {}, t)))),
      h('tbody', {}, entries.map((e) => h('tr', {}, h('td', {}, when(e.time)), h('td', {}, e.action + (e.forced
        ? ' (forced)' : '')), h('td', { class: 'operator' }, e.operator || ''), h('td', {}, e.scope ? scopeName(e.scope) : ''),
        h('td', {}, typeof e.from === 'string' || typeof e.to === 'string' ? (e.from || '—') + ' → ' + (e.to || '—') : ''),
        h('td', {}, e.reason || ''), h('td', {}, e.revision === undefined ? '' : e.revision),
        h('td', { class: 'sub' }, String(e.node || '').slice(0, 8)))))));
  };

  live();
  render();
})();
