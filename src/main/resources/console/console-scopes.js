// Turnout console: the overview, routes and gates pages.
(function (T) {
  'use strict';

  const { h, badge, api, say, confirmChange, refresh, scopeName, sameScope, when, num, versionsOf, scopeState,
    verdictChip, verdictSummary, heldScopes, activate, rollback, resume } = T;
  const PAGES = T.pages;

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
      h('ul', { id: 'events', class: 'events' }, T.recent.length ? T.recent.map((e) => h('li', {}, when(e.at) + ' ',
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
})(window.Turnout);
