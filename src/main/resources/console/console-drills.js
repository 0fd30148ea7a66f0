// Turnout console: the drills, drill, probes and audit pages.
(function (T) {
  'use strict';

  const { h, badge, api, say, confirmChange, refresh, scopeName, sameScope, when, num, versionsOf, scopeState,
    verdictChip, verdictSummary, heldScopes, activate, rollback, resume } = T;
  const PAGES = T.pages;

  const DRILL_STEPS = ['prepared', 'probes', 'internal', 'canary', 'rollback', 'drain_check', 'reenable', 'complete'];

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
    const d = await api('GET', '/admin/drills/' + encodeURIComponent(T.pageId));
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
})(window.Turnout);
