// The advisors' sign-in form: posts JSON (never a cross-site form) and goes to the advisors' page.
(function () {
  'use strict';
  var form = document.getElementById('login-form');
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    var status = document.getElementById('login-status');
    status.textContent = 'Loggar in …';
    var response = await fetch('/advisors/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login: form.login.value, password: form.password.value })
    });
    if (response.ok) {
      window.location.assign('/advisors');
    } else {
      status.textContent = response.status === 429 ? 'För många försök. Vänta en stund.' : 'Fel användarnamn eller lösenord.';
    }
  });
})();
