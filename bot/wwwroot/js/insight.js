// The coordinators' insight page: reads /api/insight/summary for the chosen period and draws each figure as a table
// (what a screen reader reads) with a bar chart beside it (drawn here as SVG, hidden from screen readers because the table
// says the same), and a CSV download of the same numbers.
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';

  function el(name, attributes, children) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === 'text') { node.textContent = attributes[key]; } else { node.setAttribute(key, attributes[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function number(value) { return value === null || value === undefined ? '–' : value.toLocaleString('sv-SE'); }

  function percent(share) { return Math.round(share * 100).toLocaleString('sv-SE') + ' %'; }

  function period() { return 'from=' + encodeURIComponent(document.getElementById('from').value) + '&to=' + encodeURIComponent(document.getElementById('to').value); }

  function csvLink(figure, label, extra) {
    return el('a', { href: '/api/insight/' + figure + '.csv?' + period() + (extra || ''), download: '', text: label || 'Ladda ner som CSV' });
  }

  // A horizontal bar chart; the table next to it carries the same numbers for assistive technology.
  function bars(rows) {
    var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0) || 1;
    var rowHeight = 28;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'insight-chart');
    svg.setAttribute('viewBox', '0 0 520 ' + (rows.length * rowHeight));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    rows.forEach(function (row, i) {
      var bar = document.createElementNS(SVG, 'rect');
      bar.setAttribute('x', '230');
      bar.setAttribute('y', String(i * rowHeight + 6));
      bar.setAttribute('height', '16');
      bar.setAttribute('width', String(Math.max(1, 200 * row.value / max)));
      bar.setAttribute('fill', '#00507a');
      svg.appendChild(bar);
      var label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', '225');
      label.setAttribute('y', String(i * rowHeight + 19));
      label.setAttribute('text-anchor', 'end');
      label.setAttribute('font-size', '12');
      label.setAttribute('fill', '#1b1b1b');
      label.textContent = row.label.length > 34 ? row.label.slice(0, 33) + '…' : row.label;
      svg.appendChild(label);
      var value = document.createElementNS(SVG, 'text');
      value.setAttribute('x', String(235 + 200 * row.value / max));
      value.setAttribute('y', String(i * rowHeight + 19));
      value.setAttribute('font-size', '12');
      value.setAttribute('fill', '#1b1b1b');
      value.textContent = row.text || number(row.value);
      svg.appendChild(value);
    });
    return svg;
  }

  function table(caption, headers, rows) {
    return el('table', { class: 'insight-table' }, [
      el('caption', { text: caption }),
      el('thead', {}, [el('tr', {}, headers.map(function (h, i) { return el('th', { scope: 'col', class: i > 0 ? 'num' : '', text: h }); }))]),
      el('tbody', {}, rows.map(function (r) {
        return el('tr', {}, r.map(function (cell, i) { return i === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { class: 'num', text: cell }); }));
      }))
    ]);
  }

  function section(id, heading, lead, content, figure, download) {
    var children = [el('h2', { id: id + '-heading', text: heading })];
    if (lead) { children.push(el('p', { text: lead })); }
    content.forEach(function (c) { children.push(c); });
    if (figure) { children.push(el('p', {}, [csvLink(figure, download)])); }
    return el('section', { class: 'insight-section', 'aria-labelledby': id + '-heading' }, children);
  }

  function empty(text) { return el('p', { class: 'insight-empty', text: text || 'Inget under perioden.' }); }

  function render(s) {
    var figures = document.getElementById('figures');
    figures.textContent = '';
    var t = s.tickets;
    figures.appendChild(section('overview', 'Översikt', null, [
      table('Samtal och ärenden under perioden', ['Mått', 'Antal'], [
        ['Samtal', number(s.conversations)],
        ['Nya ärenden', number(t.created)],
        ['Tagna ärenden', number(t.claimed)],
        ['Avslutade ärenden', number(t.resolved)],
        ['Missade tidsgränser', number(s.breaches)],
        ['Median tid till att ett ärende tas (arbetstimmar)', s.medianWorkingHoursToClaim === null ? '–' : number(s.medianWorkingHoursToClaim)]
      ])
    ]));
    figures.lastChild.appendChild(el('p', {}, [csvLink('conversations', 'Ladda ner samtalen som CSV')]));
    figures.lastChild.appendChild(el('p', {}, [csvLink('tickets', 'Ladda ner ärendena som CSV')]));

    var answers = s.answersByAction;
    figures.appendChild(section('answers', 'Svar per utfall', 'Vad chatten gjorde med företagens frågor.',
      answers.length === 0 ? [empty()] : [
        bars(answers.map(function (a) { return { label: a.label, value: a.count }; })),
        table('Svar per utfall', ['Utfall', 'Antal'], answers.map(function (a) { return [a.label, number(a.count)]; }))
      ], 'answers', 'Ladda ner svaren per utfall som CSV'));

    var claims = s.claimedWithinDeadline;
    figures.appendChild(section('claims', 'Tagna inom tidsgränsen', 'Andel av periodens nya ärenden som en rådgivare tog inom tidsgränsen, per organisation.',
      claims.length === 0 ? [empty()] : [
        bars(claims.map(function (c) { return { label: c.name, value: c.share, text: percent(c.share) }; })),
        table('Tagna inom tidsgränsen per organisation', ['Organisation', 'Ärenden', 'Inom tidsgränsen', 'Andel'],
          claims.map(function (c) { return [c.name, number(c.tickets), number(c.claimedInTime), percent(c.share)]; }))
      ], 'claims', 'Ladda ner andelen inom tidsgränsen som CSV'));

    var topics = s.topTopics;
    figures.appendChild(section('topics', 'Vanligaste ämnena', 'De ämnen chatten svarade på flest gånger.',
      topics.length === 0 ? [empty()] : [
        bars(topics.map(function (x) { return { label: x.title, value: x.count }; })),
        table('Vanligaste ämnena', ['Ämne', 'Svar'], topics.map(function (x) { return [x.title, number(x.count)]; }))
      ], 'topics', 'Ladda ner ämnena som CSV'));

    var helped = s.helpedByTopic;
    figures.appendChild(section('helped', 'Hjälpte svaret?', 'Vad företagen svarade på frågan om svaret hjälpte, per ämne.',
      helped.length === 0 ? [empty()] : [
        table('Hjälpte svaret? per ämne', ['Ämne', 'Ja', 'Nej'], helped.map(function (h) { return [h.title, number(h.yes), number(h.no)]; }))
      ], 'helped', 'Ladda ner svaren på om det hjälpte som CSV'));

    var groups = s.unanswered;
    var list = el('ol', { class: 'insight-groups' }, groups.map(function (g) {
      var reasons = g.reasons.map(function (r) { return r.label.toLowerCase() + ' ' + number(r.count); }).join(', ');
      return el('li', {}, [
        el('p', {}, [el('strong', { text: '”' + g.representative + '”', lang: g.questions.length > 0 ? g.questions[0].language : 'sv' }), document.createTextNode(' – ' + number(g.count) + ' ' + (g.count === 1 ? 'fråga' : 'frågor') + ' (' + reasons + ')' + (g.topicTitle ? '. Närmaste ämne: ' + g.topicTitle + '.' : '.'))]),
        el('details', {}, [el('summary', { text: 'Visa frågorna i gruppen ' + g.group }),
          el('ul', {}, g.questions.map(function (q) { return el('li', { lang: q.language, text: q.text }); }))]),
        el('p', {}, [csvLink('phrasings', 'Föreslå grupp ' + g.group + ' som exempelfraser (CSV)', '&group=' + g.group)])
      ]);
    }));
    figures.appendChild(section('unanswered', 'Frågor chatten inte kunde svara på', 'Utanför uppdraget, bara en motfråga, eller ”nej” på om svaret hjälpte. Personuppgifter är borttagna. Liknande frågor är grupperade.',
      groups.length === 0 ? [empty()] : [list, el('p', {}, [csvLink('phrasings', 'Föreslå alla som exempelfraser (CSV)')])], 'unanswered', 'Ladda ner frågorna som CSV'));
  }

  async function load() {
    var status = document.getElementById('status');
    status.textContent = 'Hämtar …';
    var response = await fetch('/api/insight/summary?' + period(), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) { window.location.assign('/advisors/login'); return; }
    if (!response.ok) {
      var problem = await response.json().catch(function () { return {}; });
      status.textContent = 'Det gick inte att hämta siffrorna: ' + (problem.detail || problem.title || response.status);
      return;
    }
    var summary = await response.json();
    render(summary);
    status.textContent = 'Visar ' + summary.from + ' till ' + summary.to + '.';
  }

  function isoDate(d) { return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }

  var params = new URLSearchParams(window.location.search);
  var today = new Date();
  var monthAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  document.getElementById('from').value = params.get('from') || isoDate(monthAgo);
  document.getElementById('to').value = params.get('to') || isoDate(today);
  document.getElementById('period').addEventListener('submit', function (event) {
    event.preventDefault();
    window.history.replaceState(null, '', '?' + period());
    load().catch(function (e) { document.getElementById('status').textContent = 'Det gick inte att hämta siffrorna: ' + e.message; });
  });
  load().catch(function (e) { document.getElementById('status').textContent = 'Det gick inte att hämta siffrorna: ' + e.message; });
})();
