// The local advisors' page: a second Web Chat on the embedded Direct Line. The server registers its
// conversation as the advisors' channel and issues a token that names the signed-in advisor, so what
// an advisor does here is attributed to them by the channel, never by the browser.
(function () {
  'use strict';

  function setStatus(message, isError) {
    var status = document.getElementById('chat-status');
    status.textContent = message || '';
    status.classList.toggle('chat__status--error', !!isError);
  }

  async function start() {
    var response = await fetch('/api/advisors/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{}'
    });
    if (response.status === 401) { window.location.assign('/advisors/login'); return; }
    if (!response.ok) {
      var problem = await response.json().catch(function () { return {}; });
      throw new Error(problem.detail || ('Session request failed with ' + response.status));
    }
    var session = await response.json();
    document.getElementById('who').textContent = 'Inloggad som ' + session.advisorName + '. ' + document.getElementById('who').textContent;
    if (session.mustSetPassword) { document.getElementById('password-section').hidden = false; }
    var directLine = window.WebChat.createDirectLine({
      domain: session.domain,
      token: session.token,
      conversationId: session.conversationId,
      // The recent history only; every open ticket's card arrives from here however old it is.
      watermark: session.watermark,
      webSocket: session.webSocket,
      pollingInterval: session.pollingIntervalMs
    });
    window.WebChat.renderWebChat({
      directLine: directLine,
      locale: 'sv-SE',
      styleOptions: {
        accent: '#00507a',
        hideUploadButton: true,
        botAvatarInitials: 'EC',
        adaptiveCardsParserMaxVersion: '1.5',
        rootHeight: '100%'
      },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: 'EXP-nummer och meddelande till företaget' }
    }, document.getElementById('webchat'));
    setStatus('');
    if (window.sessionStorage.getItem('advisor-password-saved')) {
      window.sessionStorage.removeItem('advisor-password-saved');
      setStatus('Lösenordet är sparat. Andra inloggningar med ditt konto har avslutats.');
    }
  }

  document.getElementById('password-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    var status = document.getElementById('password-status');
    var response = await fetch('/advisors/password', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ password: document.getElementById('password').value })
    });
    if (response.ok) {
      // A new password ends every sign-in, this page's chat too: reload it with the new sign-in.
      window.sessionStorage.setItem('advisor-password-saved', '1');
      window.location.reload();
    } else {
      status.textContent = 'Lösenordet måste ha minst 12 tecken.';
    }
  });

  start().catch(function (error) {
    setStatus('Rådgivarnas kanal kunde inte startas: ' + error.message, true);
  });
})();
