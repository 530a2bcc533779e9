/* transpipe review page: renders an article's segments from the JSON API and edits them.
   Every text from the server is put into the page with textContent (never as markup). */
(function () {
  'use strict';
  var body = document.body;
  if (body.getAttribute('data-page') !== 'article') { return; }
  var token = document.querySelector('meta[name="transpipe-token"]').getAttribute('content');
  var article = body.getAttribute('data-article');
  var sourceLang = body.getAttribute('data-source-lang');
  var targetLang = body.getAttribute('data-target-lang');
  var table = document.getElementById('segments');
  var tbody = table.tBodies[0];
  var S = {
    segments: [], byId: {}, rows: {}, current: null, editing: null, confirm: null,
    seconds: {}, visit: null, sort: {}, contextTimer: null
  };

  function api(method, path, payload) {
    var options = { method: method, headers: { 'X-Transpipe-Token': token } };
    if (payload !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(payload);
    }
    return fetch(path, options).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
        return { status: res.status, data: data };
      });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function segmentPath(id) { return '/api/segments/' + encodeURIComponent(id); }

  /* ---- highlighting: text split at mark boundaries, each piece a text node or a span ---- */
  function highlight(container, text, marks) {
    container.textContent = '';
    var valid = marks.filter(function (m) { return m.start >= 0 && m.start < m.end && m.end <= text.length; });
    if (!valid.length) { container.textContent = text; return; }
    var bounds = [0, text.length];
    valid.forEach(function (m) { bounds.push(m.start, m.end); });
    bounds = bounds.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < bounds.length; i++) {
      var a = bounds[i], b = bounds[i + 1];
      var piece = text.slice(a, b);
      var covering = valid.filter(function (m) { return m.start <= a && b <= m.end; });
      if (!covering.length) { container.appendChild(document.createTextNode(piece)); continue; }
      var span = el('span', covering.map(function (m) { return m.cls; }).join(' '), piece);
      span.title = covering.map(function (m) { return m.title; }).join('; ');
      container.appendChild(span);
    }
  }

  function marksFor(seg, side) {
    var marks = [];
    var lang = side === 'source' ? sourceLang : targetLang;
    (seg.term_matches || []).forEach(function (m) {
      if ((m.lang || lang) !== lang || side !== 'source') { return; }
      var preferred = m.preferred || {};
      marks.push({
        start: m.start, end: m.end,
        cls: m.status === 'forbidden' ? 'term-forbidden' : 'term',
        title: 'term ' + m.concept + ' → ' + (preferred[targetLang] || '')
      });
    });
    (seg.findings || []).forEach(function (f) {
      if (f.side !== side || f.start === undefined) { return; }
      marks.push({ start: f.start, end: f.end, cls: 'f-' + f.severity, title: f.check + ': ' + f.message });
    });
    return marks;
  }

  /* ---- rows ---- */
  function scoreText(seg) { return seg.score === null || seg.score === undefined ? '' : Number(seg.score).toFixed(1); }

  function buildRow(seg) {
    var tr = el('tr');
    tr.setAttribute('data-id', seg.id);
    tr.setAttribute('data-n', String(seg.n));
    var num = el('td', 'num', seg.n);
    num.appendChild(el('div', 'small', seg.id));
    var score = el('td', 'num');
    score.appendChild(document.createTextNode(scoreText(seg)));
    score.appendChild(el('br'));
    score.appendChild(el('span', 'status st-' + seg.mt_status, seg.mt_status));
    var source = el('td', 'source');
    source.lang = sourceLang;
    var target = el('td', 'target');
    target.lang = targetLang;
    target.appendChild(el('div', 'text'));
    var info = el('td', 'info');
    tr.appendChild(num); tr.appendChild(score); tr.appendChild(source);
    tr.appendChild(target); tr.appendChild(info);
    S.rows[seg.id] = tr;
    fillRow(seg);
    return tr;
  }

  function fillRow(seg) {
    var tr = S.rows[seg.id];
    tr.setAttribute('data-score', scoreText(seg));
    tr.setAttribute('data-status', seg.status);
    tr.setAttribute('data-mt-status', seg.mt_status);
    tr.setAttribute('data-failures', String(seg.term_failures));
    tr.setAttribute('data-checks', (seg.findings || []).map(function (f) { return f.check; }).join(' '));
    tr.setAttribute('data-version', String(seg.version));
    highlight(tr.cells[2], seg.source, marksFor(seg, 'source'));
    var text = tr.cells[3].querySelector('.text');
    highlight(text, seg.target, marksFor(seg, 'target'));
    if (!seg.target) { text.textContent = '(untranslated)'; text.className = 'text empty'; } else { text.className = 'text'; }
    var info = tr.cells[4];
    var keep = info.querySelector('.context');
    info.textContent = '';
    var state = el('div', 'state');
    state.appendChild(el('span', 'badge st-' + seg.status, seg.status === 'approved' ? 'approved' : 'to review'));
    var st = seg.stats || {};
    if (st.edited || st.seconds) {
      state.appendChild(el('span', 'stats small',
        ' edited ' + st.words_changed + ' word(s), ' + Math.round(100 * st.edit_rate) + '% · ' + Math.round(st.seconds) + ' s'));
    }
    info.appendChild(state);
    if (seg.findings && seg.findings.length) {
      var ul = el('ul', 'findings');
      seg.findings.forEach(function (f) {
        var li = el('li', 'sev-' + f.severity);
        li.appendChild(el('b', null, f.check));
        li.appendChild(document.createTextNode(' ' + f.message));
        ul.appendChild(li);
      });
      info.appendChild(ul);
    }
    if (seg.audit && seg.audit.length) {
      var terms = el('div', 'terms');
      seg.audit.forEach(function (a, index) {
        var chip = el('button', 'term-insert outcome-' + a.outcome);
        chip.type = 'button';
        chip.setAttribute('data-index', String(index));
        chip.setAttribute('data-concept', a.concept);
        chip.title = a.source + ' → ' + a.expected + ' (' + a.outcome + '); click to insert' +
          (index < 9 ? ' (Alt+' + (index + 1) + ')' : '');
        chip.textContent = a.suggestion;
        terms.appendChild(chip);
      });
      info.appendChild(terms);
    }
    var warn = el('div', 'warn');
    warn.hidden = true;
    info.appendChild(warn);
    info.appendChild(keep || el('div', 'context'));
  }

  function render() {
    var fragment = document.createDocumentFragment();
    S.segments.forEach(function (seg) { fragment.appendChild(buildRow(seg)); });
    tbody.appendChild(fragment);
    var checks = {};
    S.segments.forEach(function (seg) { (seg.findings || []).forEach(function (f) { checks[f.check] = 1; }); });
    var select = document.getElementById('filter-check');
    Object.keys(checks).sort().forEach(function (name) {
      var option = el('option', null, name);
      option.value = name;
      select.appendChild(option);
    });
  }

  function summary() {
    var c = { approved: 0, review: 0, failures: 0, untranslated: 0, edited: 0, changed: 0, words: 0, seconds: 0 };
    S.segments.forEach(function (seg) {
      if (seg.status === 'approved') { c.approved++; } else { c.review++; }
      c.failures += seg.term_failures;
      if (!seg.target.trim()) { c.untranslated++; }
      var st = seg.stats || {};
      if (st.edited) { c.edited++; }
      c.changed += st.words_changed || 0;
      c.words += seg.mt.split(/\s+/).filter(Boolean).length;
      c.seconds += st.seconds || 0;
    });
    document.getElementById('count-approved').textContent = c.approved;
    document.getElementById('count-review').textContent = c.review;
    document.getElementById('count-failures').textContent = c.failures;
    document.getElementById('count-untranslated').textContent = c.untranslated;
    document.getElementById('stat-edited').textContent = c.edited;
    document.getElementById('stat-rate').textContent = Math.round(100 * c.changed / Math.max(1, c.words)) + '%';
    document.getElementById('stat-time').textContent = Math.round(c.seconds) + ' s';
  }

  /* ---- sorting and filtering ---- */
  function sortBy(key) {
    S.sort[key] = S.sort[key] === 'asc' ? 'desc' : 'asc';
    var dir = S.sort[key];
    var rows = Array.prototype.slice.call(tbody.rows);
    function value(row) { var v = row.getAttribute('data-' + key); return v === '' ? -1 : parseFloat(v); }
    rows.sort(function (a, b) {
      var d = value(a) - value(b);
      if (d === 0) { d = parseFloat(a.getAttribute('data-n')) - parseFloat(b.getAttribute('data-n')); }
      return dir === 'asc' ? d : -d;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    body.setAttribute('data-sorted', key + '-' + dir);
  }

  function applyFilter() {
    var status = document.getElementById('filter-status').value;
    var check = document.getElementById('filter-check').value;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var show = status === 'all' ||
        (status === 'review' && row.getAttribute('data-status') === 'review') ||
        (status === 'approved' && row.getAttribute('data-status') === 'approved') ||
        (status === 'failures' && row.getAttribute('data-failures') !== '0') ||
        (status === 'bad' && row.getAttribute('data-mt-status') === 'bad');
      if (show && check) { show = (' ' + row.getAttribute('data-checks') + ' ').indexOf(' ' + check + ' ') >= 0; }
      row.classList.toggle('hidden', !show);
    });
  }

  function visibleRows() {
    return Array.prototype.filter.call(tbody.rows, function (row) { return !row.classList.contains('hidden'); });
  }

  /* ---- time in segment ---- */
  function endVisit() {
    if (!S.visit) { return; }
    var spent = Math.min(600, (performance.now() - S.visit.start) / 1000);
    S.seconds[S.visit.id] = (S.seconds[S.visit.id] || 0) + spent;
    S.visit = null;
  }
  function takeSeconds(id) {
    if (S.visit && S.visit.id === id) { endVisit(); S.visit = { id: id, start: performance.now() }; }
    var spent = S.seconds[id] || 0;
    S.seconds[id] = 0;
    return Math.round(spent * 10) / 10;
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) { var id = S.visit && S.visit.id; endVisit(); S.paused = id; }
    else if (S.paused) { S.visit = { id: S.paused, start: performance.now() }; S.paused = null; }
  });

  /* ---- selection and context ---- */
  function select(id, scroll) {
    if (S.editing && S.editing.id !== id) { leaveEdit(); }
    if (S.current && S.rows[S.current]) {
      S.rows[S.current].classList.remove('current');
      S.rows[S.current].querySelector('.context').textContent = '';
    }
    endVisit();
    S.current = id;
    S.visit = { id: id, start: performance.now() };
    var row = S.rows[id];
    row.classList.add('current');
    body.setAttribute('data-current', id);
    if (scroll !== false) { row.scrollIntoView({ block: 'nearest' }); }
    clearTimeout(S.contextTimer);
    S.contextTimer = setTimeout(function () { loadContext(id); }, 120);
  }

  function move(step) {
    var rows = visibleRows();
    if (!rows.length) { return; }
    var index = rows.indexOf(S.rows[S.current]);
    var next = index < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, index + step));
    select(rows[next].getAttribute('data-id'));
  }

  function nextToReview() {
    var rows = visibleRows();
    var index = rows.indexOf(S.rows[S.current]);
    for (var i = index + 1; i < rows.length; i++) {
      if (rows[i].getAttribute('data-status') !== 'approved') { select(rows[i].getAttribute('data-id')); return; }
    }
    move(1);
  }

  function loadContext(id) {
    api('GET', segmentPath(id) + '/context').then(function (r) {
      if (r.status !== 200 || S.current !== id) { return; }
      var box = S.rows[id].querySelector('.context');
      box.textContent = '';
      if (r.data.memory.length) {
        var mem = el('div', 'memory');
        mem.appendChild(el('b', null, 'Memory'));
        r.data.memory.forEach(function (m) {
          var line = el('div', 'match');
          line.appendChild(el('span', 'percent', m.percent + '%'));
          line.appendChild(document.createTextNode(' ' + m.target));
          line.title = m.source + (m.reviewed ? ' (reviewed)' : ' (unreviewed)') + ' · ' + m.origin;
          mem.appendChild(line);
        });
        box.appendChild(mem);
      }
      r.data.glossary.forEach(function (entry) {
        var g = el('div', 'glossary');
        g.appendChild(el('b', null, entry.concept));
        if (entry.note) { g.appendChild(el('div', 'small', entry.note)); }
        entry.terms.forEach(function (t) {
          var line = el('div', 'gterm gt-' + t.status);
          line.appendChild(el('span', 'small', t.lang + ' · ' + t.status + ' '));
          line.appendChild(el(t.status === 'forbidden' ? 's' : 'span', null, t.text));
          if (t.note) { line.appendChild(el('span', 'small', ' — ' + t.note)); }
          g.appendChild(line);
        });
        box.appendChild(g);
      });
    });
  }

  /* ---- editing ---- */
  function startEdit() {
    var id = S.current;
    if (!id || (S.editing && S.editing.id === id)) { return; }
    if (S.editing) { leaveEdit(); }
    var seg = S.byId[id];
    var cell = S.rows[id].cells[3];
    var area = el('textarea', 'editor');
    area.value = seg.target;
    area.rows = Math.max(2, Math.ceil(seg.target.length / 60));
    area.lang = targetLang;
    var tools = el('div', 'editor-tools');
    [['approve', 'Approve (Ctrl+Enter)', function () { approve(); }],
     ['save', 'Save for review (Ctrl+S)', function () { save(S.byId[id], area.value, 'review'); }],
     ['revert', 'Revert to MT (Alt+M)', function () { revertToMt(); }],
     ['undo', 'Undo (Ctrl+Z)', function () { area.focus(); document.execCommand('undo'); }],
     ['cancel', 'Cancel (Esc)', function () { cancelEdit(); }]].forEach(function (spec) {
      var button = el('button', 'tool-' + spec[0], spec[1]);
      button.type = 'button';
      button.addEventListener('click', function (event) { event.stopPropagation(); spec[2](); });
      tools.appendChild(button);
    });
    cell.querySelector('.text').hidden = true;
    cell.appendChild(area);
    cell.appendChild(tools);
    S.editing = { id: id, area: area, tools: tools, original: seg.target };
    S.rows[id].classList.add('editing');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  function closeEditor() {
    if (!S.editing) { return; }
    var row = S.rows[S.editing.id];
    S.editing.area.remove();
    S.editing.tools.remove();
    row.cells[3].querySelector('.text').hidden = false;
    row.classList.remove('editing');
    S.editing = null;
  }

  function cancelEdit() { closeEditor(); S.confirm = null; }

  function leaveEdit() {
    if (!S.editing) { return; }
    var seg = S.byId[S.editing.id];
    var text = S.editing.area.value;
    closeEditor();
    if (text !== seg.target) { save(seg, text, 'review'); }
  }

  function replaceText(area, text) {
    area.focus();
    if (!document.execCommand('insertText', false, text)) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
    }
  }

  function revertToMt() {
    if (!S.editing) { startEdit(); }
    var area = S.editing.area;
    area.focus();
    area.select();
    replaceText(area, S.byId[S.editing.id].mt);
  }

  function insertTerm(id, index) {
    if (S.current !== id) { select(id, false); }
    if (!S.editing) { startEdit(); }
    var area = S.editing.area;
    var record = S.byId[id].audit[index];
    var before = area.value.slice(0, area.selectionStart);
    var replaced = area.value.slice(area.selectionStart, area.selectionEnd);
    var start = area.selectionStart, end = area.selectionEnd;
    return api('POST', '/api/inflect', {
      term: record.expected, lang: targetLang, before: before, replaced: replaced, default: record.suggestion
    }).then(function (r) {
      var form = r.status === 200 ? r.data.form : record.suggestion;
      area.focus();
      area.setSelectionRange(start, end);
      replaceText(area, form);
      body.setAttribute('data-inserted', form);
    });
  }

  function showWarning(id, title, items) {
    var warn = S.rows[id].querySelector('.warn');
    warn.textContent = '';
    warn.appendChild(el('b', null, title));
    if (items && items.length) {
      var ul = el('ul');
      items.forEach(function (f) { ul.appendChild(el('li', 'sev-' + f.severity, f.check + ': ' + f.message)); });
      warn.appendChild(ul);
    }
    warn.hidden = false;
  }

  function approve() {
    var id = S.current;
    if (!id) { return Promise.resolve(); }
    var seg = S.byId[id];
    var text = S.editing && S.editing.id === id ? S.editing.area.value : seg.target;
    return api('POST', segmentPath(id) + '/check', { target: text }).then(function (r) {
      if (r.status !== 200) { showWarning(id, r.data && r.data.error || 'check failed'); return; }
      var blocking = r.data.findings.filter(function (f) { return f.severity === 'critical' || f.severity === 'major'; });
      var confirmed = S.confirm && S.confirm.id === id && S.confirm.text === text;
      if (blocking.length && !confirmed) {
        S.confirm = { id: id, text: text };
        showWarning(id, 'Still wrong — press Ctrl+Enter again to approve anyway:', blocking);
        body.setAttribute('data-confirm', id);
        return;
      }
      S.confirm = null;
      return save(seg, text, 'approved').then(function (ok) { if (ok) { nextToReview(); } });
    });
  }

  function save(seg, text, status) {
    var id = seg.id;
    var payload = { target: text, status: status, version: seg.version, seconds: takeSeconds(id) };
    return api('PUT', segmentPath(id), payload).then(function (r) {
      if (r.status === 200) {
        S.byId[id] = r.data;
        S.segments[S.segments.indexOf(seg)] = r.data;
        if (S.editing && S.editing.id === id) { closeEditor(); }
        fillRow(r.data);
        summary();
        applyFilter();
        body.setAttribute('data-saved', id + '@' + r.data.version);
        return true;
      }
      S.seconds[id] = (S.seconds[id] || 0) + payload.seconds;
      if (r.status === 409 && r.data.current) { conflict(seg, text, status, r.data.current); return false; }
      showWarning(id, 'Not saved: ' + (r.data && r.data.error || ('HTTP ' + r.status)));
      return false;
    });
  }

  function conflict(mine, text, status, theirs) {
    var id = mine.id;
    var warn = S.rows[id].querySelector('.warn');
    warn.textContent = '';
    warn.classList.add('conflict');
    warn.appendChild(el('b', null, 'Changed elsewhere (version ' + theirs.version + ', ' + theirs.status + '):'));
    warn.appendChild(el('div', 'theirs', theirs.target));
    var take = el('button', 'take-theirs', 'Take theirs');
    take.type = 'button';
    take.addEventListener('click', function (event) {
      event.stopPropagation();
      S.byId[id] = theirs;
      S.segments[S.segments.indexOf(mine)] = theirs;
      if (S.editing && S.editing.id === id) { closeEditor(); }
      warn.classList.remove('conflict');
      fillRow(theirs);
      summary();
    });
    var keep = el('button', 'keep-mine', 'Keep mine');
    keep.type = 'button';
    keep.addEventListener('click', function (event) {
      event.stopPropagation();
      var rebased = Object.assign({}, mine, { version: theirs.version });
      S.byId[id] = rebased;
      S.segments[S.segments.indexOf(mine)] = rebased;
      warn.classList.remove('conflict');
      save(rebased, text, status);
    });
    warn.appendChild(take);
    warn.appendChild(keep);
    warn.hidden = false;
    body.setAttribute('data-conflict', id);
  }

  /* ---- keyboard ---- */
  document.addEventListener('keydown', function (event) {
    var ctrl = event.ctrlKey || event.metaKey;
    var inEditor = S.editing && event.target === S.editing.area;
    if (ctrl && event.key === 'Enter') { event.preventDefault(); approve(); return; }
    if (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault(); leaveEdit(); move(event.key === 'ArrowDown' ? 1 : -1); return;
    }
    if (event.altKey && (event.key === 'm' || event.key === 'M' || event.code === 'KeyM')) {
      event.preventDefault(); revertToMt(); return;
    }
    if (event.altKey && /^Digit[1-9]$/.test(event.code)) {
      var index = parseInt(event.code.slice(5), 10) - 1;
      var seg = S.current && S.byId[S.current];
      if (seg && index < seg.audit.length) { event.preventDefault(); insertTerm(seg.id, index); }
      return;
    }
    if (inEditor) {
      if (ctrl && (event.key === 's' || event.key === 'S')) {
        event.preventDefault(); save(S.byId[S.editing.id], S.editing.area.value, 'review');
      } else if (event.key === 'Escape') { event.preventDefault(); cancelEdit(); }
      return;
    }
    var tag = event.target && event.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || ctrl || event.altKey) { return; }
    if (event.key === 'ArrowDown' || event.key === 'j') { event.preventDefault(); move(1); }
    else if (event.key === 'ArrowUp' || event.key === 'k') { event.preventDefault(); move(-1); }
    else if (event.key === 'Enter' || event.key === 'e') { event.preventDefault(); if (!S.current) { move(0); } startEdit(); }
  });

  /* ---- clicks in the table (one listener for every row) ---- */
  tbody.addEventListener('click', function (event) {
    var tr = event.target.closest('tr');
    if (!tr || !event.target.closest('td')) { return; }
    var id = tr.getAttribute('data-id');
    var chip = event.target.closest('button.term-insert');
    if (chip) { insertTerm(id, parseInt(chip.getAttribute('data-index'), 10)); return; }
    if (event.target.closest('button, textarea')) { return; }
    if (S.current !== id) { select(id, false); }
    if (event.target.closest('td.target') && !S.editing) { startEdit(); }
  });

  /* ---- toolbar ---- */
  Array.prototype.forEach.call(table.querySelectorAll('th[data-sort]'), function (th) {
    th.addEventListener('click', function () { sortBy(th.getAttribute('data-sort')); });
  });
  document.getElementById('filter-status').addEventListener('change', applyFilter);
  document.getElementById('filter-check').addEventListener('change', applyFilter);
  document.getElementById('publish').addEventListener('click', function () {
    var out = document.getElementById('publish-result');
    out.textContent = 'Publishing…';
    api('POST', '/api/articles/' + encodeURIComponent(article) + '/publish', {
      format: document.getElementById('publish-format').value,
      allow_unreviewed: document.getElementById('publish-allow').checked,
      force: document.getElementById('publish-force').checked
    }).then(function (r) {
      if (r.status === 200) {
        out.textContent = 'Published ' + r.data.path + ' (' + r.data.readiness.line + ')';
        body.setAttribute('data-published', r.data.path);
      } else {
        out.textContent = 'Not published: ' + (r.data && r.data.error || ('HTTP ' + r.status));
        body.setAttribute('data-published', 'refused');
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-export]'), function (button) {
    button.addEventListener('click', function () {
      var fmt = button.getAttribute('data-export');
      var path = '/api/articles/' + encodeURIComponent(article) + '/export?format=' + encodeURIComponent(fmt);
      fetch(path, { headers: { 'X-Transpipe-Token': token } }).then(function (res) {
        if (!res.ok) { throw new Error('HTTP ' + res.status); }
        var disposition = res.headers.get('content-disposition') || '';
        var match = /filename="([^"]+)"/.exec(disposition);
        return res.blob().then(function (blob) {
          var link = el('a');
          link.href = URL.createObjectURL(blob);
          link.download = match ? match[1] : article + '.' + fmt;
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
      }).catch(function (error) { document.getElementById('publish-result').textContent = 'Export failed: ' + error.message; });
    });
  });

  /* ---- start ---- */
  api('GET', '/api/articles/' + encodeURIComponent(article) + '/segments').then(function (r) {
    if (r.status !== 200) {
      body.setAttribute('data-error', String(r.status));
      document.getElementById('publish-result').textContent = 'Cannot load segments: ' + (r.data && r.data.error);
      return;
    }
    body.setAttribute('data-loaded-ms', String(Math.round(performance.now())));
    S.segments = r.data;
    S.segments.forEach(function (seg) { S.byId[seg.id] = seg; });
    render();
    summary();
    body.setAttribute('data-rows', String(tbody.rows.length));
    body.setAttribute('data-render-ms', String(Math.round(performance.now())));
    body.setAttribute('data-ready', 'yes');
  });
})();
