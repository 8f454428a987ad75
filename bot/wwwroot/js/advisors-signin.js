// The one-time sign-in link: its token is after '#', which the browser never sends to a server, so no
// server or proxy log holds it. The page takes it out of the address bar and posts it as JSON.
(function () {
  'use strict';
  var status = document.getElementById('signin-status');
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  window.history.replaceState(null, '', window.location.pathname);
  if (!match) {
    status.textContent = 'Länken saknar sin kod. Be om en ny inloggningslänk.';
    return;
  }
  fetch('/advisors/signin', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ token: decodeURIComponent(match[1]) })
  }).then(function (response) {
    if (response.ok) {
      window.location.replace('/advisors');
    } else if (response.status === 429) {
      status.textContent = 'För många försök. Vänta en stund och öppna länken igen.';
    } else {
      status.textContent = 'Länken gäller inte längre: den är redan använd eller för gammal. Be om en ny inloggningslänk.';
    }
  }, function () {
    status.textContent = 'Det gick inte att nå tjänsten. Försök igen om en stund.';
  });
})();
