// Switchyard dashboard: plain JavaScript and SVG, no dependencies, no external requests.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 480, L = 60, R = 8, T = 10, B = 26, LABEL = 150;
  const $ = (id) => document.getElementById(id);
  const nf = new Intl.NumberFormat('en-US');
  const fmt = (n) => (n === null || n === undefined) ? '–' : nf.format(n);
  const usd = (n) => '$' + Number(n || 0).toFixed(Number(n || 0) >= 1 ? 2 : 6);
  const short = (n) => {
    n = Number(n || 0);
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (Math.abs(n) >= 1e3) return (n / 1e3).toFixed(1) + 'k';
    return Number.isInteger(n) ? String(n) : n.toPrecision(3);
  };
  let session = { csrf: '', bodies_retained: false };

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function html(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v; else if (k.startsWith('data-')) node.dataset[k.slice(5).replace(/-(.)/g, (_, c) => c.toUpperCase())] = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c === null || c === undefined ? '' : c);
    return node;
  }

  function clear(svg) { while (svg.firstChild) svg.removeChild(svg.firstChild); }

  function empty(svg, message) {
    clear(svg);
    svg.setAttribute('viewBox', '0 0 480 180');
    svg.dataset.points = '0';
    svg.appendChild(el('text', { x: W / 2, y: 90, 'text-anchor': 'middle', class: 'empty' }, message || 'no data yet'));
  }

  // Hover values: every mark carries data-tip; one tooltip follows the pointer.
  function tip(node, text) {
    node.dataset.tip = text;
    node.appendChild(el('title', {}, text));
    return node;
  }

  // series: [{values:[...], cls:'s0', name}] over equally spaced x; times: the label of each x
  function lineChart(svg, series, times) {
    const all = series.flatMap((s) => s.values);
    if (!all.length) return empty(svg);
    clear(svg);
    const H = 180;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const max = Math.max(1e-9, ...all) * 1.1;
    svg.appendChild(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }));
    for (let i = 0; i <= 4; i++) {
      const y = T + (H - B - T) * (1 - i / 4);
      svg.appendChild(el('line', { x1: L, y1: y, x2: W - R, y2: y, class: 'axis', 'stroke-dasharray': '2 3' }));
      svg.appendChild(el('text', { x: L - 4, y: y + 4, 'text-anchor': 'end' }, short(max * i / 4)));
    }
    const n = series[0].values.length;
    const x = (i) => L + (W - L - R) * (n <= 1 ? 0 : i / (n - 1));
    const y = (v) => T + (H - B - T) * (1 - v / max);
    for (const s of series) {
      const points = s.values.map((v, i) => x(i).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
      const line = el('polyline', { points, class: s.cls });
      line.dataset.series = s.name;
      line.dataset.total = String(s.values.reduce((a, b) => a + b, 0));
      svg.appendChild(line);
    }
    // Invisible columns, one per x, carry the values of every series at that time.
    const col = (W - L - R) / Math.max(1, n - 1);
    for (let i = 0; i < n; i++) {
      const text = times[i] + ': ' + series.map((s) => s.name + ' ' + short(s.values[i])).join(', ');
      svg.appendChild(tip(el('rect', { x: x(i) - col / 2, y: T, width: col, height: H - B - T, class: 'hover' }), text));
    }
    svg.appendChild(el('text', { x: L, y: H - 8 }, times[0]));
    svg.appendChild(el('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, times[n - 1]));
    svg.dataset.points = String(n);
    svg.dataset.total = String(all.reduce((a, b) => a + b, 0));
  }

  // Horizontal bars, so labels are never cut: groups [{label, values:[...]}], one bar per value (classes bar0, bar1…);
  // names: the series name of each value, for the hover text.
  function barChart(svg, groups, format, classes, names) {
    groups = groups.filter((g) => g.values.some((v) => v > 0));
    if (!groups.length) return empty(svg);
    clear(svg);
    const per = groups[0].values.length;
    const bar = per > 1 ? 9 : 16, gap = 8, row = bar * per + gap;
    const H = Math.max(120, T + groups.length * row + B);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const max = Math.max(1e-12, ...groups.flatMap((g) => g.values)) * 1.05;
    const width = W - LABEL - R - 70;
    for (let i = 0; i <= 4; i++) {
      const x = LABEL + width * i / 4;
      svg.appendChild(el('line', { x1: x, y1: T, x2: x, y2: H - B, class: 'axis', 'stroke-dasharray': i ? '2 3' : '' }));
      svg.appendChild(el('text', { x, y: H - 8, 'text-anchor': 'middle' }, short(max * i / 4)));
    }
    groups.forEach((g, gi) => {
      const y0 = T + gi * row + gap / 2;
      const label = g.label.length > 24 ? g.label.slice(0, 23) + '…' : g.label;
      svg.appendChild(el('text', { x: LABEL - 6, y: y0 + (bar * per) / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, label));
      g.values.forEach((v, vi) => {
        const w = width * (v / max);
        const rect = el('rect', { x: LABEL, y: y0 + vi * bar, width: Math.max(v > 0 ? 1 : 0, w), height: bar - 1, class: (classes || [])[vi] || 'bar' + vi });
        rect.dataset.label = g.label;
        rect.dataset.value = String(v);
        tip(rect, g.label + (names ? ' ' + names[vi] : '') + ': ' + (format ? format(v) : v));
        svg.appendChild(rect);
        if (vi === per - 1 || per === 1) {
          svg.appendChild(el('text', { x: LABEL + w + 4, y: y0 + vi * bar + bar - 3, class: 'value' }, format ? format(v) : String(v)));
        }
      });
    });
    svg.dataset.points = String(groups.length);
  }

  async function call(url, body) {
    const options = { credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (body !== undefined) {
      options.method = 'POST';
      options.headers['content-type'] = 'application/json';
      options.headers['x-csrf-token'] = session.csrf;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    if (response.status === 401) { location.reload(); throw new Error('signed out'); }
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error || (url + ': HTTP ' + response.status));
    return json;
  }
  const get = (url) => call(url);

  function ms(span) {
    // TimeSpan as [d.]hh:mm:ss[.fffffff]
    if (span === null || span === undefined) return null;
    if (typeof span === 'number') return span;
    const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span);
    if (!m) return null;
    return (((Number(m[1] || 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000;
  }
  const msText = (span) => ms(span) === null ? '' : String(Math.round(ms(span)));

  async function refreshStats() {
    const s = await get('api/stats');
    const t = s.totals;
    $('stat-rps').textContent = s.requests_per_second.toFixed(2);
    $('stat-streams').textContent = fmt(s.active_streams);
    $('stat-requests').textContent = fmt(t.requests);
    $('stat-errors').textContent = fmt(t.errors);
    $('stat-tokens').textContent = short(t.input_tokens) + ' / ' + short(t.output_tokens);
    $('stat-cache').textContent = (s.cache_hit_ratio * 100).toFixed(1) + '%';
    $('cache-bar').style.width = (s.cache_hit_ratio * 100).toFixed(1) + '%';
    $('stat-cost').textContent = usd(t.cost_usd);
    const l = s.latency_ms;
    $('stat-latency').textContent = l.count ? [l.p50, l.p90, l.p99].map((v) => Math.round(v)).join(' / ') + ' ms' : '–';
    $('uptime').textContent = Math.round(s.uptime_seconds) + ' s';
    const series = s.series;
    const times = series.map((p) => new Date(p.t * 1000).toISOString().slice(11, 19));
    lineChart($('chart-rps'), [{ name: 'requests', cls: 's0', values: series.map((p) => p.requests) }], times);
    lineChart($('chart-tokens'), [
      { name: 'input', cls: 's0', values: series.map((p) => p.input_tokens) },
      { name: 'output', cls: 's1', values: series.map((p) => p.output_tokens) }], times);
    const pct = [['latency', s.latency_ms], ['time to first token', s.time_to_first_token_ms], ['upstream', s.upstream_ms], ['gateway overhead', s.overhead_ms]]
      .filter(([, p]) => p.count > 0).map(([label, p]) => ({ label, values: [p.p50, p.p90, p.p99].map((v) => Math.round(v)) }));
    barChart($('chart-latency'), pct, (v) => v + ' ms', ['bar0', 'bar1', 'bar2'], ['p50', 'p90', 'p99']);
    const errors = Object.entries(s.errors_by_type).map(([label, n]) => ({ label, values: [n] }));
    if (errors.length) barChart($('chart-errors'), errors, fmt, ['barerr']); else empty($('chart-errors'), 'no errors');
  }

  async function refreshUsage() {
    const since = encodeURIComponent($('usage-since').value);
    const [models, keys, days] = await Promise.all(['model', 'key', 'day'].map((by) => get('api/usage?by=' + by + '&since=' + since)));
    const cost = (rows, none) => rows.data.map((r) => ({ label: r.group || none, values: [Number(r.cost_usd)] }));
    barChart($('chart-cost-model'), cost(models, '(unknown model)'), usd);
    barChart($('chart-cost-key'), cost(keys, '(no key: open mode)'), usd);
    barChart($('chart-cost-day'), cost(days, '(unknown day)').sort((a, b) => a.label.localeCompare(b.label)), usd);
    barChart($('chart-tokens-model'), models.data.map((r) => ({ label: r.group || '(unknown model)', values: [r.input_tokens, r.cache_hit_tokens, r.output_tokens] })),
      short, ['bar0', 'bar2', 'bar1'], ['input', 'cache hit', 'output']);
  }

  function keyLabel(r) {
    // The name the key had when the request was made; "(open)" only when no key was needed.
    if (r.key_name) return r.key_name;
    if (r.key_id) return r.key_id;
    return r.status === 401 ? '(no key)' : '(open)';
  }

  async function refreshLog() {
    const form = new FormData($('filters'));
    const query = new URLSearchParams({ since: form.get('since'), limit: form.get('limit') });
    const rows = (await get('api/requests?' + query)).data.slice().reverse();
    const key = String(form.get('key') || '').trim().toLowerCase();
    const model = String(form.get('model') || '').trim().toLowerCase();
    const status = form.get('status');
    const shown = rows.filter((r) =>
      (!key || (r.key_name || '').toLowerCase().includes(key) || (r.key_id || '').toLowerCase().includes(key)) &&
      (!model || (r.requested_model || '').toLowerCase().includes(model) || (r.served_model || '').toLowerCase().includes(model)) &&
      (!status || (status === 'error') === !!(r.error_type || r.status >= 400)));
    const fragment = document.createDocumentFragment();
    for (const r of shown) {
      const time = String(r.started_at || '').replace('T', ' ');
      const modelText = (r.requested_model || '') + (r.served_model && r.served_model !== r.requested_model ? ' → ' + r.served_model : '');
      const tr = html('tr', { 'data-request-id': r.request_id, tabindex: '0', title: 'Request ' + r.request_id });
      if (r.error_type || r.status >= 400) tr.className = 'error';
      const cells = [
        [time.slice(11, 19), '', time.slice(0, 19)],
        [keyLabel(r), 'ellipsis'],
        [r.endpoint + (r.stream ? ' ⇢' : ''), 'ellipsis', r.stream ? 'streamed' : ''],
        [modelText, 'ellipsis'],
        [String(r.status) + (r.error_type ? ' ' + r.error_type : ''), 'ellipsis'],
        [short(r.input_tokens) + ' / ' + short(r.cache_hit_tokens), 'num'],
        [short(r.output_tokens), 'num'],
        [Number(r.cost_usd || 0).toFixed(6), 'num'],
        [msText(r.latency), 'num'],
        [msText(r.time_to_first_token), 'num'],
      ];
      for (const [text, cls, title] of cells) {
        const td = html('td', cls ? { class: cls } : {}, text);
        td.title = title || text;
        tr.appendChild(td);
      }
      tr.addEventListener('click', () => showDetail(r.request_id));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') showDetail(r.request_id); });
      fragment.appendChild(tr);
    }
    document.querySelector('#requests tbody').replaceChildren(fragment);
    $('log-count').textContent = shown.length + ' of ' + rows.length + ' request(s)';
  }

  const DECISIONS = {
    model: 'model that served',
    'model-remapped': 'the requested name was mapped (alias, default model or [1m] suffix)',
    thinking: 'thinking decision',
    retries: 'upstream attempts beyond the first',
    route: 'route that chose the provider',
    provider: 'provider that served',
    'reasoning-restored': 'reasoning_content put back from the reasoning memory (turns)',
  };

  function dl(pairs) {
    const list = html('dl');
    for (const [term, value] of pairs) {
      if (value === null || value === undefined || value === '') continue;
      list.append(html('dt', {}, term), html('dd', {}, String(value)));
    }
    return list;
  }

  async function showDetail(id) {
    const d = await get('api/requests/' + encodeURIComponent(id));
    const r = d.record;
    $('detail-title').textContent = 'Request ' + r.request_id;
    const latency = ms(r.latency), upstream = ms(r.upstream_time);
    const decisions = Object.entries(r.decisions || {});
    const body = $('detail-body');
    body.replaceChildren(
      html('h3', {}, 'Asked'),
      dl([['time (UTC)', String(r.started_at).replace('T', ' ').slice(0, 23)], ['key', keyLabel(r) + (r.key_id ? ' (' + r.key_id + ')' : '')],
        ['format', r.format], ['endpoint', r.endpoint], ['stream', r.stream ? 'yes' : 'no'], ['model', r.requested_model]]),
      html('h3', {}, 'Served'),
      dl([['model', r.served_model], ['mapped', r.remapped ? 'yes' : 'no'], ['provider', r.provider], ['route', r.route],
        ['status', r.status + (r.error_type ? ' ' + r.error_type : '')], ['stop reason', r.stop_reason],
        ['client disconnected', r.client_disconnected ? 'yes' : null], ['retries and fallbacks', String(r.retries || 0)]]),
      html('h3', {}, 'Decisions'),
      decisions.length
        ? html('table', { class: 'decisions' }, ...decisions.map(([k, v]) => html('tr', { 'data-decision': k }, html('th', {}, k), html('td', {}, v), html('td', { class: 'muted' }, DECISIONS[k] || ''))))
        : html('p', { class: 'muted' }, 'No x-switchyard-* decision headers: the request was served as asked.'),
      html('h3', {}, 'Usage and cost'),
      dl([['input tokens', fmt(r.input_tokens)], ['cache hit', fmt(r.cache_hit_tokens)], ['cache miss', fmt(r.cache_miss_tokens)],
        ['output tokens', fmt(r.output_tokens)], ['reasoning tokens', fmt(r.reasoning_tokens)], ['cost', usd(r.cost_usd)]]),
      html('h3', {}, 'Timings'),
      dl([['latency', msText(r.latency) && msText(r.latency) + ' ms'], ['time to first token', msText(r.time_to_first_token) && msText(r.time_to_first_token) + ' ms'],
        ['upstream', msText(r.upstream_time) && msText(r.upstream_time) + ' ms'],
        ['gateway overhead', latency !== null && upstream !== null ? Math.max(0, Math.round(latency - upstream)) + ' ms' : null]]),
      html('h3', {}, 'Request body'),
      d.body !== null && d.body !== undefined
        ? html('pre', { class: 'body' }, d.body + (d.body_truncated ? '\n… (cut)' : ''))
        : html('p', { class: 'muted' }, d.bodies_retained ? 'Not kept (expired, or not readable).' : 'Message content is not kept. Set Switchyard:RequestBodies:Retain=true to keep bodies for a bounded time.'));
    $('detail').showModal();
  }

  async function refreshKeys() {
    const keys = (await get('api/keys')).data;
    const fragment = document.createDocumentFragment();
    for (const k of keys) {
      const actions = html('td', { class: 'actions' });
      if (k.active) {
        const edit = html('button', { type: 'button', class: 'edit' }, 'Edit');
        edit.addEventListener('click', () => openEdit(k));
        const revoke = html('button', { type: 'button', class: 'revoke danger' }, 'Revoke');
        revoke.addEventListener('click', async () => {
          if (revoke.dataset.armed !== 'true') {
            revoke.dataset.armed = 'true';
            revoke.textContent = 'Confirm revoke';
            setTimeout(() => { revoke.dataset.armed = ''; revoke.textContent = 'Revoke'; }, 5000);
            return;
          }
          await act(() => call('api/keys/' + encodeURIComponent(k.id) + '/revoke', {}));
        });
        actions.append(edit, revoke);
      }
      const tr = html('tr', { 'data-key-id': k.id, 'data-key-name': k.name, class: k.active ? '' : 'revoked' },
        html('td', {}, k.name), html('td', { class: 'id' }, k.id), html('td', {}, k.active ? 'active' : 'revoked ' + String(k.revoked_at).slice(0, 16).replace('T', ' ')),
        html('td', { class: 'num' }, fmt(k.max_concurrency)), html('td', { class: 'num' }, fmt(k.rpm)), html('td', { class: 'num' }, fmt(k.tpm)),
        html('td', { class: 'num' }, Number(k.spent_usd || 0).toFixed(4) + ' / ' + (k.budget_usd === null || k.budget_usd === undefined ? '–' : Number(k.budget_usd).toFixed(2))),
        html('td', {}, (k.models || []).length ? k.models.join(', ') : 'all'), actions);
      fragment.appendChild(tr);
    }
    document.querySelector('#keys tbody').replaceChildren(fragment);
  }

  function limits(form) {
    const data = new FormData(form);
    const number = (name) => { const v = String(data.get(name) || '').trim(); return v === '' ? null : Number(v); };
    return {
      max_concurrency: number('max_concurrency'), rpm: number('rpm'), tpm: number('tpm'), budget_usd: number('budget_usd'),
      models: String(data.get('models') || '').split(',').map((m) => m.trim()).filter((m) => m),
    };
  }

  async function act(action, errorBox) {
    const box = errorBox || $('keys-error');
    try {
      const result = await action();
      box.hidden = true;
      await refreshKeys();
      return result;
    } catch (error) {
      box.textContent = error.message;
      box.hidden = false;
      return null;
    }
  }

  function openEdit(k) {
    const form = $('edit-form');
    form.elements.id.value = k.id;
    for (const name of ['max_concurrency', 'rpm', 'tpm', 'budget_usd']) form.elements[name].value = k[name] ?? '';
    form.elements.models.value = (k.models || []).join(', ');
    $('edit-title').textContent = 'Edit key ' + k.name;
    $('edit-error').hidden = true;
    $('edit-key').showModal();
  }

  async function refreshProviders() {
    const p = await get('api/providers');
    const fragment = document.createDocumentFragment();
    for (const provider of p.providers) {
      provider.endpoints.forEach((e, i) => {
        fragment.appendChild(html('tr', { 'data-provider': provider.name, 'data-endpoint': e.endpoint },
          html('td', {}, i ? '' : provider.name), html('td', {}, i ? '' : provider.kind), html('td', {}, e.endpoint), html('td', { class: 'ellipsis' }, e.base_url),
          html('td', {}, html('span', { class: 'badge ' + e.circuit }, e.circuit.replace('_', '-'))),
          html('td', { class: 'num' }, fmt(e.consecutive_failures)), html('td', { class: 'num' }, fmt(e.outstanding))));
      });
    }
    document.querySelector('#providers tbody').replaceChildren(fragment);
    $('routes').replaceChildren(...(p.routes.length ? p.routes.map((r) => html('li', {}, r.replace(/^\d+\.\s*/, ''))) : [html('li', { class: 'muted' }, 'No routes: every request goes to its catalog model\'s provider.')]));
  }

  let tab = 'overview';
  async function refresh() {
    try {
      const work = { overview: [refreshStats, refreshUsage], requests: [refreshLog], keys: [refreshKeys], providers: [refreshProviders] }[tab];
      await Promise.all(work.map((f) => f()));
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.loaded = 'true';
      document.body.dataset.tab = tab;
    } catch (error) {
      $('status').textContent = 'error: ' + error.message;
    }
  }

  function show(name) {
    tab = name;
    for (const button of document.querySelectorAll('nav [data-tab]')) button.setAttribute('aria-selected', String(button.dataset.tab === name));
    for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== 'tab-' + name;
    document.body.dataset.loaded = 'false';
    history.replaceState(null, '', '#' + name);
    return refresh();
  }

  document.addEventListener('DOMContentLoaded', async () => {
    session = await get('api/session').catch(() => session);
    for (const button of document.querySelectorAll('nav [data-tab]')) button.addEventListener('click', () => show(button.dataset.tab));
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); refreshLog().catch((err) => { $('status').textContent = 'error: ' + err.message; }); });
    $('usage-since').addEventListener('change', () => refreshUsage().catch(() => {}));
    $('create-key').addEventListener('submit', async (e) => {
      e.preventDefault();
      const form = e.target;
      const created = await act(() => call('api/keys', { name: form.elements.name.value.trim(), ...limits(form) }));
      if (created) {
        $('new-secret-name').textContent = created.name;
        $('new-secret-value').textContent = created.secret;
        $('new-secret').hidden = false;
        form.reset();
      }
    });
    $('edit-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const form = e.target;
      const saved = await act(() => call('api/keys/' + encodeURIComponent(form.elements.id.value), limits(form)), $('edit-error'));
      if (saved) $('edit-key').close();
    });
    $('edit-cancel').addEventListener('click', () => $('edit-key').close());
    $('explain').addEventListener('submit', async (e) => {
      e.preventDefault();
      const form = e.target;
      const out = $('explain-result');
      try {
        const answer = await call('api/explain', { request: form.elements.request.value, open_ai: form.elements.openai.checked });
        out.textContent = answer.lines.join('\n');
        out.className = answer.rejected ? 'error' : '';
      } catch (error) {
        out.textContent = error.message;
        out.className = 'error';
      }
      out.hidden = false;
    });
    const tooltip = $('tip');
    document.addEventListener('mouseover', (e) => {
      const mark = e.target.closest && e.target.closest('[data-tip]');
      if (!mark) { tooltip.hidden = true; return; }
      tooltip.textContent = mark.dataset.tip;
      tooltip.hidden = false;
    });
    document.addEventListener('mousemove', (e) => { tooltip.style.left = (e.clientX + 12) + 'px'; tooltip.style.top = (e.clientY + 12) + 'px'; });
    const initial = location.hash.slice(1);
    await show(['overview', 'requests', 'keys', 'providers'].includes(initial) ? initial : 'overview');
    setInterval(() => { if ($('auto').checked && !document.querySelector('dialog[open]')) refresh(); }, 5000);
  });
})();
