// The query page of `policykg serve`. It talks to its own server only: /queries.json for the
// catalog and the known prefixes, /queries/NAME.json for an example run as it stands (the server
// binds its parameters as `policykg query NAME -p` does), POST /query for any other text (its
// parameters sent as $name fields, bound by the server). Every text shown goes in as textContent.
(function () {
  'use strict';

  const LABELS = {
    zh: {
      title: 'policykg 图谱查询',
      note: '在本机服务器上运行 SPARQL 查询；页面不访问互联网。只读：更新、SERVICE 和 FROM 均被拒绝。',
      catalogLink: '查询目录（网址）', examples: '示例问题', views: '视图所用的查询', filter: '筛选',
      adhoc: '自拟查询', adhocNote: '写一个查询，或从左侧选一个示例问题。', editor: 'SPARQL 查询',
      prefixes: '已知前缀（无需声明）', run: '运行', reset: '恢复示例原文', download: '下载',
      running: '正在查询…', rows: n => `${n} 行`, shown: (n, all) => `显示前 ${n} 行，共 ${all} 行；全部结果请下载`,
      ms: ms => `${ms} 毫秒`, required: '必填', empty: name => `参数 ${name} 为空，请填写`,
      edited: '已修改示例：参数仍按 $名称 绑定', failed: '查询失败', yes: '是', no: '否', other: 'English',
      scopePlan: '关于单个方案的问题',
    },
    en: {
      title: 'policykg graph query',
      note: 'Runs SPARQL on this machine\'s server; the page reaches nothing on the internet. Read-only: ' +
        'updates, SERVICE and FROM are refused.',
      catalogLink: 'Query catalog (URLs)', examples: 'Example questions', views: 'Queries the views are drawn from',
      filter: 'Filter', adhoc: 'Ad hoc query', adhocNote: 'Write a query, or pick an example question on the left.',
      editor: 'SPARQL query', prefixes: 'Known prefixes (no need to declare them)', run: 'Run',
      reset: 'Restore the example', download: 'Download', running: 'Running…',
      rows: n => `${n} row${n === 1 ? '' : 's'}`, shown: (n, all) => `showing the first ${n} of ${all} rows; download them all`,
      ms: ms => `${ms} ms`, required: 'required', empty: name => `parameter ${name} is empty; give it a value`,
      edited: 'example edited: parameters are still bound to its $names', failed: 'The query failed',
      yes: 'true', no: 'false', other: '中文', scopePlan: 'a question about one plan',
    },
  };
  const MAX_SHOWN = 2000;
  const RESULTS_JSON = 'application/sparql-results+json';
  const $ = id => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const DEFAULT_QUERY = 'SELECT ?unit ?name ?name_en\nWHERE {\n  ?unit a pkg:Unit ;\n        skos:prefLabel ?name .\n' +
    '  OPTIONAL { ?unit rdfs:label ?name_en }\n}\nORDER BY ?name\n';

  const state = {lang: 'zh', queries: [], prefixes: {}, current: null, last: null};
  const t = key => LABELS[state.lang][key];

  // ---- labels and language

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-t]').forEach(e => {
      if (e.id === 'ex-title' || e.id === 'ex-question') return;
      e.textContent = t(e.dataset.t);
    });
    $('filter').placeholder = t('filter');
    $('lang').textContent = t('other');
    $('lang').lang = state.lang === 'zh' ? 'en' : 'zh';
    document.title = t('title') + ' · SPARQL';
    state.queries.forEach(q => { q.item.querySelector('.title').textContent = title(q); });
    showAbout();
    renderParams();
  }

  const title = q => (state.lang === 'en' ? q.title_en : q.title_zh);

  // ---- the examples

  function listExamples() {
    state.queries.forEach(q => {
      const li = el('li');
      const button = el('button', undefined, 'example');
      button.type = 'button';
      button.dataset.name = q.name;
      button.append(el('span', title(q), 'title'), el('code', q.name, 'name'));
      button.addEventListener('click', () => choose(q.name));
      li.append(button);
      q.item = li;
      $(q.group === 'view' ? 'views' : 'questions').append(li);
    });
  }

  function filterExamples() {
    const words = $('filter').value.trim().toLowerCase();
    state.queries.forEach(q => {
      const hay = [q.name, q.title_zh, q.title_en, q.question].join(' ').toLowerCase();
      q.item.hidden = words !== '' && !hay.includes(words);
    });
    if (words) $('view-group').open = true;
  }

  function choose(name, values) {
    const q = state.queries.find(x => x.name === name);
    if (!q) return;
    state.current = q;
    q.values = {};
    q.parameters.forEach(p => {
      const given = values && values.get(p.name);
      q.values[p.name] = given !== null && given !== undefined ? given : (p.default || '');
    });
    $('editor').value = q.text;
    document.querySelectorAll('button.example').forEach(b => b.classList.toggle('chosen', b.dataset.name === name));
    if (q.group === 'view') $('view-group').open = true;
    showAbout();
    renderParams();
    clearResults();
    remember();
  }

  function showAbout() {
    const q = state.current;
    $('ex-title').textContent = q ? title(q) : t('adhoc');
    $('ex-question').textContent = q ? q.question + (q.scope === 'plan' ? ` (${t('scopePlan')})` : '') : t('adhocNote');
    $('reset').hidden = !q;
  }

  function renderParams() {
    const form = $('params');
    form.textContent = '';
    const q = state.current;
    form.hidden = !q || q.parameters.length === 0;
    if (form.hidden) return;
    q.parameters.forEach(p => {
      const row = el('label', undefined, 'param');
      row.append(el('code', p.name));
      let input;
      if (p.choices.length) {
        input = el('select');
        p.choices.forEach(c => { const o = el('option', c); o.value = c; input.append(o); });
      } else {
        input = el('input');
        input.type = 'text';
        if (p.required) input.required = true;
      }
      input.name = p.name;
      input.value = q.values[p.name];
      input.addEventListener('input', () => { q.values[p.name] = input.value; remember(); });
      row.append(input);
      if (p.required) row.append(el('span', t('required'), 'req'));
      row.append(el('span', p.description, 'muted'));
      form.append(row);
    });
  }

  function remember() {  // the address says what is shown: it can be bookmarked and sent
    const q = state.current;
    const params = new URLSearchParams();
    if (q) {
      params.set('example', q.name);
      Object.entries(q.values).forEach(([k, v]) => { if (v !== '') params.set(k, v); });
    }
    if (state.lang !== 'zh') params.set('lang', state.lang);
    const search = params.toString();
    history.replaceState(null, '', search ? '?' + search : location.pathname);
  }

  // ---- running

  const edited = () => !state.current || $('editor').value !== state.current.text;

  function cannedUrl(fmt) {  // the example as it stands: the catalog URL, bound by the server
    const q = state.current;
    const params = new URLSearchParams();
    Object.entries(q.values).forEach(([k, v]) => { if (v !== '' || q.parameters.find(p => p.name === k).required) params.set(k, v); });
    const search = params.toString();
    return `/queries/${encodeURIComponent(q.name)}.${fmt}` + (search ? '?' + search : '');
  }

  function queryForm() {  // any other text: POST /query, with the example's parameters as $name
    const form = new URLSearchParams();
    form.set('query', $('editor').value);
    const q = state.current;
    if (q) Object.entries(q.values).forEach(([k, v]) => form.set('$' + k, v));
    return form;
  }

  function missing() {
    const q = state.current;
    if (!q || !edited()) return null;  // the server says what a catalog URL lacks
    const p = q.parameters.find(x => x.required && !String(q.values[x.name]).trim() && $('editor').value.includes('$' + x.name));
    return p ? t('empty')(p.name) : null;
  }

  function request(accept) {
    if (!edited()) return fetch(cannedUrl(accept === RESULTS_JSON ? 'json' : accept), {headers: {Accept: RESULTS_JSON}});
    return fetch('/query', {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded', Accept: accept},
      body: queryForm(),
    });
  }

  async function run() {
    clearResults();
    const lacking = missing();
    if (lacking) return showError(lacking);
    $('status').textContent = t('running');
    $('run').disabled = true;
    const started = performance.now();
    try {
      const response = await request(edited() ? RESULTS_JSON + ', text/turtle;q=0.9' : RESULTS_JSON);
      const body = await response.text();
      if (!response.ok) return showError(`${t('failed')} (HTTP ${response.status}): ${body.trim()}`);
      const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
      const ms = Math.round(performance.now() - started);
      if (type === RESULTS_JSON || type === 'application/json') {
        showTable(JSON.parse(body), ms);
      } else {
        $('graph-text').hidden = false;
        $('graph-text').textContent = body;
        $('status').textContent = t('ms')(ms);
      }
      showDownloads();
    } catch (err) {
      showError(`${t('failed')}: ${err.message}`);
    } finally {
      $('run').disabled = false;
    }
  }

  function clearResults() {
    $('table').textContent = '';
    $('graph-text').hidden = true;
    $('graph-text').textContent = '';
    $('error').hidden = true;
    $('status').textContent = '';
    $('downloads').hidden = true;
    document.body.removeAttribute('data-rows');
  }

  function showError(message) {
    $('status').textContent = '';
    $('error').textContent = message;
    $('error').hidden = false;
  }

  // An IRI under a known prefix is shown as pkg:Measure (the whole IRI on hover).
  function shortIri(iri) {
    for (const [name, ns] of Object.entries(state.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return name + ':' + iri.slice(ns.length);
    }
    return '<' + iri + '>';
  }

  function cell(term) {
    const td = el('td');
    if (!term) return td;
    if (term.type === 'uri') {
      td.textContent = shortIri(term.value);
      td.title = term.value;
      td.className = 'iri';
    } else if (term.type === 'bnode') {
      td.textContent = '_:' + term.value;
    } else {
      td.textContent = term.value;
      if (term['xml:lang']) td.title = '@' + term['xml:lang'];  // on hover: a tag on every cell is noise
      else if (term.datatype) td.title = shortIri(term.datatype);
    }
    return td;
  }

  function showTable(data, ms) {
    const table = $('table');
    if (typeof data.boolean === 'boolean') {
      const tr = el('tr');
      tr.append(el('td', data.boolean ? t('yes') : t('no')));
      table.append(tr);
      $('status').textContent = t('ms')(ms);
      document.body.dataset.rows = '1';
      return;
    }
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const thead = el('thead'), head = el('tr');
    vars.forEach(v => head.append(el('th', v)));
    thead.append(head);
    const tbody = el('tbody');
    rows.slice(0, MAX_SHOWN).forEach(b => {
      const tr = el('tr');
      vars.forEach(v => tr.append(cell(b[v])));
      tbody.append(tr);
    });
    table.append(thead, tbody);
    const shown = rows.length > MAX_SHOWN ? t('shown')(MAX_SHOWN, rows.length) : t('rows')(rows.length);
    const bound = state.current && edited() && state.current.parameters.some(p => $('editor').value.includes('$' + p.name));
    $('status').textContent = `${shown} · ${t('ms')(ms)}` + (bound ? ` · ${t('edited')}` : '');
    document.body.dataset.rows = String(rows.length);
  }

  const TYPES = {csv: 'text/csv', tsv: 'text/tab-separated-values', json: RESULTS_JSON};

  function showDownloads() {
    const name = state.current ? state.current.name : 'query';
    Object.keys(TYPES).forEach(fmt => {
      const a = $('dl-' + fmt);
      a.download = `${name}.${fmt}`;
      a.href = edited() ? '#' : cannedUrl(fmt);
    });
    $('downloads').hidden = false;
  }

  async function download(fmt, event) {  // an edited text has no URL: the server writes its file
    if (!edited()) return;
    event.preventDefault();
    const form = queryForm();
    form.set('format', fmt);
    const response = await fetch('/download', {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: form,
    });
    const body = await response.blob();
    if (!response.ok) return showError(`${t('failed')} (HTTP ${response.status}): ${(await body.text()).trim()}`);
    const a = el('a');
    a.href = URL.createObjectURL(body);
    a.download = `${state.current ? state.current.name : 'query'}.${fmt}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ---- start

  async function start() {
    const params = new URLSearchParams(location.search);
    state.lang = params.get('lang') === 'en' ? 'en' : 'zh';
    const response = await fetch('/queries.json', {headers: {Accept: 'application/json'}});
    const data = await response.json();
    state.queries = data.queries;
    state.prefixes = data.prefixes;
    const table = $('prefix-table');
    Object.entries(state.prefixes).forEach(([name, ns]) => {
      const tr = el('tr');
      tr.append(el('td', `PREFIX ${name}:`), el('td', `<${ns}>`));
      table.append(tr);
    });
    listExamples();
    $('editor').value = DEFAULT_QUERY;
    if (params.get('example')) choose(params.get('example'), params);
    applyLanguage();
    $('lang').addEventListener('click', () => { state.lang = state.lang === 'zh' ? 'en' : 'zh'; applyLanguage(); remember(); });
    $('filter').addEventListener('input', filterExamples);
    $('run').addEventListener('click', run);
    $('reset').addEventListener('click', () => { if (state.current) { $('editor').value = state.current.text; clearResults(); } });
    $('editor').addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
    Object.keys(TYPES).forEach(fmt => $('dl-' + fmt).addEventListener('click', e => download(fmt, e)));
    document.body.dataset.ready = '1';
  }

  start().catch(err => showError(`${LABELS.zh.failed} / ${LABELS.en.failed}: ${err.message}`));
}());
