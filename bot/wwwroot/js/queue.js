// The advisors' queue: the tickets not yet resolved, most urgent first, filtered by organisation and state. Opening a
// ticket shows its card (rendered with the Adaptive Cards renderer, without its buttons), its history and the bot's
// decisions in the conversation that led to it.
(function () {
  'use strict';

  var actions = { answer: 'Svar', clarify: 'Motfråga', out_of_scope: 'Utanför uppdraget', handoff: 'Till en rådgivare', smalltalk: 'Småprat', status: 'Fråga om ärendet' };
  var decisions = { classifier: 'Frågan själv', context: 'Samtalet innan', organisation: 'En nämnd organisation', button: 'En knapp', fixed: 'Fast svar', person: 'Bad om en person', status: 'Ärendets läge' };
  var openedNumber = null;

  // The card's texts are markdown whose every special character is escaped (MarkdownText on the server): shown here as
  // the plain text they stand for, HTML-escaped, with their line breaks.
  function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  if (window.AdaptiveCards) {
    window.AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
      var plain = text.replace(/\\([\\`*_\[\](){}#+\-.!|~<>=:])/g, '$1');
      result.outputHtml = escapeHtml(plain).replace(/\r?\n/g, '<br>');
      result.didProcess = true;
    };
  }

  function el(name, text, attributes) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    return node;
  }

  function percent(v) { return v === null || v === undefined ? '–' : Math.round(v * 100) + ' %'; }

  function status(text) { document.getElementById('status').textContent = text; }

  async function getJson(url) {
    var response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) { window.location.assign('/advisors/login'); return null; }
    if (!response.ok) {
      var problem = await response.json().catch(function () { return {}; });
      throw new Error(problem.detail || problem.title || String(response.status));
    }
    return response.json();
  }

  async function load() {
    var organisation = document.getElementById('organisation');
    var state = document.getElementById('state');
    var query = new URLSearchParams();
    if (organisation.value) { query.set('organisation', organisation.value); }
    if (state.value) { query.set('state', state.value); }
    status('Hämtar …');
    var queue = await getJson('/api/advisors/queue?' + query.toString());
    if (!queue) { return; }
    if (organisation.options.length === 1) {
      queue.organisations.forEach(function (o) { organisation.appendChild(el('option', o.name, { value: o.id })); });
      organisation.value = query.get('organisation') || '';
    }
    var rows = document.getElementById('rows');
    rows.textContent = '';
    queue.tickets.forEach(function (t) {
      var tr = el('tr');
      var first = el('th', null, { scope: 'row' });
      var open = el('button', t.number, { type: 'button', class: 'link-button', 'aria-label': 'Öppna ärende ' + t.number });
      open.addEventListener('click', function () { openedNumber = t.number; show(t.number).catch(function (e) { status('Det gick inte att öppna ärendet: ' + e.message); }); });
      first.appendChild(open);
      tr.appendChild(first);
      tr.appendChild(el('td', t.company));
      tr.appendChild(el('td', t.topic));
      tr.appendChild(el('td', t.organisation));
      tr.appendChild(el('td', t.stateLabel + (t.claimedBy ? ' (' + t.claimedBy + ')' : '')));
      tr.appendChild(el('td', t.due));
      tr.appendChild(el('td', t.timeLeft, t.overdue ? { class: 'queue-overdue' } : {}));
      rows.appendChild(tr);
    });
    status(queue.tickets.length === 0 ? 'Inga ärenden med det urvalet.' : queue.tickets.length + (queue.tickets.length === 1 ? ' ärende.' : ' ärenden.'));
  }

  async function show(number) {
    var detail = await getJson('/api/advisors/tickets/' + encodeURIComponent(number));
    if (!detail) { return; }
    var section = document.getElementById('detail');
    document.getElementById('detail-heading').textContent = 'Ärende ' + detail.number;
    var holder = document.getElementById('card');
    holder.textContent = '';
    var card = new window.AdaptiveCards.AdaptiveCard();
    card.parse(detail.card);
    holder.appendChild(card.render());
    var history = document.getElementById('history');
    history.textContent = '';
    detail.history.forEach(function (line) { history.appendChild(el('li', line)); });
    var audit = document.getElementById('audit');
    audit.textContent = '';
    if (detail.audit.length === 0) {
      var none = el('tr');
      none.appendChild(el('td', 'Inga beslut sparade (samtalet är äldre än gallringstiden, eller ärendet kom från en knapp direkt).', { colspan: '7' }));
      audit.appendChild(none);
    }
    detail.audit.forEach(function (a) {
      var tr = el('tr');
      tr.appendChild(el('td', a.time));
      tr.appendChild(el('td', actions[a.action] || a.action));
      tr.appendChild(el('td', decisions[a.decision] || a.decision));
      tr.appendChild(el('td', (a.topic || '–') + (a.facet ? ' (' + a.facet + ')' : '') + (a.organisation ? ', ' + a.organisation : '')));
      tr.appendChild(el('td', percent(a.confidence)));
      tr.appendChild(el('td', a.secondTopic ? a.secondTopic + ' (' + percent(a.secondScore) + ')' : '–'));
      tr.appendChild(el('td', a.knowledgeRevision));
      audit.appendChild(tr);
    });
    section.hidden = false;
    section.focus();
  }

  // Coordinators also see the chat's privacy requests; for other advisors the request is refused and the section stays hidden.
  async function loadPrivacy() {
    var response = await fetch('/api/privacy/requests', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) { return; }
    var requests = await response.json();
    var rows = document.getElementById('privacy-rows');
    rows.textContent = '';
    requests.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('th', r.reference, { scope: 'row' }));
      tr.appendChild(el('td', r.kind === 'erasure' ? 'Radera uppgifterna' : 'Se uppgifterna'));
      tr.appendChild(el('td', r.received));
      var command = el('td');
      command.appendChild(el('code', r.command));
      tr.appendChild(command);
      rows.appendChild(tr);
    });
    document.getElementById('privacy').hidden = requests.length === 0;
  }

  document.getElementById('close').addEventListener('click', function () {
    document.getElementById('detail').hidden = true;
    // The list may have been rebuilt since ("Visa"): the ticket's button is found again, else the list takes the focus.
    var buttons = document.querySelectorAll('#rows button');
    var back = Array.prototype.filter.call(buttons, function (b) { return b.textContent === openedNumber; })[0];
    (back || document.getElementById('tickets')).focus();
  });
  document.getElementById('filters').addEventListener('submit', function (event) {
    event.preventDefault();
    load().catch(function (e) { status('Det gick inte att hämta kön: ' + e.message); });
  });
  load().catch(function (e) { status('Det gick inte att hämta kön: ' + e.message); });
  loadPrivacy().catch(function () { });
})();
