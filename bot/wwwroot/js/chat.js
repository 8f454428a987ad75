// The chat page: gets a session from the server (no secret ever reaches the browser), then runs the
// official Web Chat against the embedded Direct Line channel, or against Azure Direct Line when the
// server is configured so. Swedish by default; the language switch re-renders Web Chat in English.
(function () {
  'use strict';

  var texts = {
    sv: {
      locale: 'sv-SE',
      pageTitle: 'Exportcentrum Dalarna – fråga om export',
      skip: 'Hoppa till chatten',
      region: 'Region Dalarna med partner',
      title: 'Exportcentrum Dalarna',
      lead: 'Har ditt företag en fråga om export? Skriv den här. Vår assistent visar vem som kan hjälpa dig och hur du når dem, och kopplar dig till en rådgivare när det behövs – med kontakt inom en arbetsdag.',
      chatHeading: 'Chatt med exportcentrets assistent',
      loading: 'Startar chatten …',
      failed: 'Chatten kunde inte startas. Ladda om sidan eller försök igen om en stund.',
      privacy: 'Så hanterar vi dina uppgifter',
      automated: 'Du chattar med en automatiserad assistent.',
      switchTo: 'en',
      switchText: 'In English',
      switchLabel: 'Switch the chat to English',
      switchLang: 'en',
      sendBoxPlaceholder: 'Skriv din fråga här'
    },
    en: {
      locale: 'en-GB',
      pageTitle: 'Dalarna Regional Export Centre – ask about exports',
      skip: 'Skip to the chat',
      region: 'Region Dalarna and partners',
      title: 'Dalarna Regional Export Centre',
      lead: 'Does your company have a question about exporting? Type it here. Our assistant shows who can help you and how to reach them, and connects you with an advisor when needed – with contact within one working day.',
      chatHeading: 'Chat with the export centre\u2019s assistant',
      loading: 'Starting the chat …',
      failed: 'The chat could not be started. Reload the page or try again in a moment.',
      privacy: 'How we handle your data',
      automated: 'You are chatting with an automated assistant.',
      switchTo: 'sv',
      switchText: 'På svenska',
      switchLabel: 'Byt chatten till svenska',
      switchLang: 'sv',
      sendBoxPlaceholder: 'Type your question here'
    }
  };

  var storageKey = 'exportcenter.language';
  var requested = new URLSearchParams(window.location.search).get('lang');
  var language = texts[requested] ? requested : (texts[safeGet(storageKey)] ? safeGet(storageKey) : 'sv');
  var directLine = null;
  var store = null;

  function safeGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function safeSet(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: the choice lasts this visit */ }
  }

  function applyTexts() {
    var t = texts[language];
    document.documentElement.lang = language;
    document.title = t.pageTitle;
    document.querySelectorAll('[data-text]').forEach(function (element) {
      var key = element.getAttribute('data-text');
      if (key !== 'loading' && t[key]) { element.textContent = t[key]; }
    });
    var button = document.getElementById('language-switch');
    button.textContent = t.switchText;
    button.setAttribute('aria-label', t.switchLabel);
    button.setAttribute('lang', t.switchLang);
    document.getElementById('privacy-link').setAttribute('href', 'privacy.html?lang=' + language);
  }

  // Every bot message carries its language: the activity's locale, and a card's own "lang" (the notice in a
  // writer's language, right to left for Arabic). Web Chat does not put it into the page, so each rendered bot
  // bubble gets lang (and dir) here, matched in order to the bot's messages. Screen readers then read each answer
  // in its own language, whatever the page's (WCAG 2.1, 3.1.2).
  var botBubbles = { ids: [], byId: {} };
  var rightToLeft = ['ar', 'fa', 'he', 'ur'];

  function bubbleLanguages(activity) {
    var attachments = activity.attachments || [];
    var languages = [];
    if (activity.text && activity.text.trim().length > 0) { languages.push(activity.locale); }
    attachments.forEach(function (attachment) {
      languages.push((attachment.content && attachment.content.lang) || activity.locale);
    });
    return languages;
  }

  function rememberBotMessage(activity) {
    if (activity.type !== 'message' || !activity.from || activity.from.role === 'user' || !activity.id) { return; }
    if (!botBubbles.byId[activity.id]) { botBubbles.ids.push(activity.id); }
    botBubbles.byId[activity.id] = bubbleLanguages(activity);
  }

  function labelBubbles() {
    var languages = [];
    botBubbles.ids.forEach(function (id) { languages = languages.concat(botBubbles.byId[id]); });
    var bubbles = document.querySelectorAll('#webchat .webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
    for (var i = 0; i < bubbles.length && i < languages.length; i++) {
      var lang = languages[i];
      if (!lang) { continue; }
      if (bubbles[i].getAttribute('lang') !== lang) { bubbles[i].setAttribute('lang', lang); }
      var dir = rightToLeft.indexOf(lang.split('-')[0]) >= 0 ? 'rtl' : 'ltr';
      if (bubbles[i].getAttribute('dir') !== dir) { bubbles[i].setAttribute('dir', dir); }
    }
  }

  function createLanguageStore() {
    return window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') { rememberBotMessage(action.payload.activity); }
          return next(action);
        };
      };
    });
  }

  new MutationObserver(labelBubbles).observe(document.getElementById('webchat'), { childList: true, subtree: true });

  function setStatus(message, isError) {
    var status = document.getElementById('chat-status');
    status.textContent = message || '';
    status.classList.toggle('chat__status--error', !!isError);
  }

  var styleOptions = {
    accent: '#00507a',
    subtle: '#4a4a4a',
    bubbleBackground: '#eef2f5',
    bubbleFromUserBackground: '#00507a',
    bubbleFromUserTextColor: '#ffffff',
    bubbleBorderRadius: 6,
    bubbleFromUserBorderRadius: 6,
    hideUploadButton: true,
    botAvatarInitials: 'EC',
    userAvatarInitials: '',
    sendBoxButtonColor: '#00507a',
    suggestedActionTextColor: '#00507a',
    suggestedActionBorderColor: '#00507a',
    adaptiveCardsParserMaxVersion: '1.5',
    // A long answer is read from its first line: the transcript stops scrolling once the first new message is at the
    // top, so on a phone the answer's heading stays on the screen instead of its last button.
    autoScrollSnapOnPage: true,
    rootHeight: '100%'
  };

  function render() {
    var t = texts[language];
    window.WebChat.renderWebChat({
      directLine: directLine,
      store: store,
      locale: t.locale,
      styleOptions: styleOptions,
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t.sendBoxPlaceholder }
    }, document.getElementById('webchat'));
  }

  async function start() {
    applyTexts();
    setStatus(texts[language].loading);
    var response = await fetch('api/chat/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    });
    if (!response.ok) { throw new Error('Session request failed with ' + response.status); }
    var session = await response.json();
    var options = {
      domain: session.domain,
      token: session.token,
      webSocket: session.webSocket,
      pollingInterval: session.pollingIntervalMs,
      conversationStartProperties: { locale: texts[language].locale }
    };
    // A returning visitor continues its conversation: Web Chat reconnects and receives the history.
    if (session.resumed) { options.conversationId = session.conversationId; }
    directLine = window.WebChat.createDirectLine(options);
    store = createLanguageStore();
    render();
    setStatus('');
  }

  document.getElementById('language-switch').addEventListener('click', function () {
    language = texts[language].switchTo;
    safeSet(storageKey, language);
    applyTexts();
    if (directLine) { render(); }
  });

  start().catch(function () {
    setStatus(texts[language].failed, true);
  });
})();
