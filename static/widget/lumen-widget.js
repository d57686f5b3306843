/*! Lumen storefront widget: order-tracking chat. MIT licence. */
/*
 * One file, no dependencies. Before the first click it only draws the launcher (no requests);
 * the chat UI and its stylesheet are built on demand inside a shadow root, so the store's CSS
 * cannot reach it and its CSS cannot reach the store.
 * Security: every text goes through textContent; links are anchors only for http(s) URLs.
 *
 * <script src=".../lumen-widget.js" data-proxy-base="/apps/lumen" defer></script>
 * Optional: data-position="bottom-left", data-accent="#0b6e4f", data-store-name="My Store",
 * data-stylesheet="URL of lumen-widget.css" (default: next to this file).
 */
(function () {
  'use strict';

  if (window.__lumenWidget) return;
  window.__lumenWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="lumen-widget"]');
  var data = (script && script.dataset) || {};
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var TIMEOUT_MS = 20000;
  var RENEWABLE = ['session_expired', 'invalid_session'];
  var ICONS = {
    chat: 'M21 11.5a8.4 8.4 0 0 1-.9 3.8 8.5 8.5 0 0 1-7.6 4.7 8.4 8.4 0 0 1-3.8-.9L3 21l1.9-5.7a8.4 8.4 0 0 1-.9-3.8 8.5 8.5 0 0 1 4.7-7.6 8.4 8.4 0 0 1 3.8-.9h.5a8.5 8.5 0 0 1 8 8z',
    close: 'M18 6 6 18M6 6l12 12',
    send: 'M22 2 11 13M22 2l-7 20-4-9-9-4z',
    up: 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
    down: 'M10 15v4a3 3 0 0 0 3 3l4-9V2H5.7a2 2 0 0 0-2 1.7l-1.4 9a2 2 0 0 0 2 2.3zm7-13h2.7A2.3 2.3 0 0 1 22 4v7a2.3 2.3 0 0 1-2.3 2H17',
    link: 'M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14 21 3',
    lock: 'M7 11h10a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2zm1 0V7a4 4 0 0 1 8 0v4',
    alert: 'M12 8v5m0 3.5v.5M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z'
  };
  var LAUNCHER_CSS =
    ':host{all:initial}' +
    '.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:60px;height:60px;' +
    'border:0;border-radius:50%;padding:0;display:grid;place-items:center;cursor:pointer;' +
    'background:var(--lumen-accent);color:var(--lumen-on-accent);' +
    'box-shadow:0 6px 20px rgba(0,0,0,.22),0 2px 6px rgba(0,0,0,.12);transition:transform .2s ease}' +
    '.launcher:hover{transform:scale(1.06)}' +
    '.launcher:focus-visible{outline:3px solid var(--lumen-accent);outline-offset:3px}' +
    '.launcher svg{width:28px;height:28px}' +
    '.left .launcher{right:auto;left:20px}' +
    '@media (prefers-reduced-motion:reduce){.launcher{transition:none}}';

  var config = {
    proxyBase: (data.proxyBase || '/apps/lumen').replace(/\/+$/, ''),
    left: data.position === 'bottom-left',
    accent: data.accent && window.CSS && CSS.supports('color', data.accent) ? data.accent : '#2b59c3',
    storeName: data.storeName || metaContent('og:site_name') || 'Order help',
    stylesheet: data.stylesheet || new URL('lumen-widget.css', (script && script.src) || location.href).href
  };
  var storageKey = 'lumen:' + config.proxyBase;
  var ui = null;
  var chat = { token: null, busy: false, pending: null, renewed: false, rated: null, timer: 0 };

  function metaContent(property) {
    var meta = document.querySelector('meta[property="' + property + '"]');
    return meta && meta.content;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (key === 'text') node.textContent = value;
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else if (value !== false && value != null) node.setAttribute(key, value === true ? '' : value);
    });
    [].concat(children || []).forEach(function (child) { if (child) node.append(child); });
    return node;
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function icon(name) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    var path = document.createElementNS(SVG_NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  /* ---------- launcher (all that runs before the first click) ---------- */

  function mount() {
    var host = document.createElement('lumen-chat');
    var root = host.attachShadow({ mode: 'open' });
    var wrap = el('div', { class: config.left ? 'left' : '', onkeydown: onKey });
    var launcher = el('button', {
      type: 'button', class: 'launcher', 'aria-label': 'Chat with us about your order',
      'aria-expanded': 'false', 'aria-haspopup': 'dialog',
      onclick: toggle, onpointerenter: loadStyles, onfocus: loadStyles
    }, icon('chat'));
    document.body.append(host);
    host.style.setProperty('--lumen-accent', config.accent);
    host.style.setProperty('--lumen-on-accent', readableOn(host, config.accent));
    root.append(el('style', { text: LAUNCHER_CSS }), wrap);
    wrap.append(launcher);
    ui = { root: root, wrap: wrap, launcher: launcher, styles: null };
  }

  function readableOn(host, colour) {
    // White or near-black text by the accent's luminance, so any merchant colour stays legible.
    host.style.color = colour;
    var rgb = (getComputedStyle(host).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    host.style.color = '';
    var lum = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    return lum > 0.6 ? '#111418' : '#ffffff';
  }

  function onKey(event) {
    if (event.key === 'Escape' && ui.panel && !ui.panel.hidden) {
      event.stopPropagation();
      close();
    }
  }

  function loadStyles() {
    if (ui.styles) return ui.styles;
    var link = el('link', { rel: 'stylesheet', href: config.stylesheet });
    ui.styles = new Promise(function (resolve) {
      link.onload = link.onerror = resolve;
    });
    ui.root.prepend(link);
    return ui.styles;
  }

  function toggle() {
    if (ui.panel && !ui.panel.hidden) close();
    else open();
  }

  /* ---------- panel ---------- */

  function open() {
    loadStyles().then(function () {
      if (!ui.panel) build();
      ui.panel.hidden = false;
      ui.wrap.classList.add('open');
      ui.launcher.setAttribute('aria-expanded', 'true');
      ui.launcher.setAttribute('aria-label', 'Close chat');
      ui.launcher.replaceChildren(icon('close'));
      // On touch screens focusing the input would throw the keyboard over the welcome message.
      (matchMedia('(pointer: coarse)').matches ? ui.panel : ui.input).focus();
      if (!chat.token && !chat.busy) resumeOrStart();
    });
  }

  function close() {
    ui.panel.hidden = true;
    ui.wrap.classList.remove('open');
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.setAttribute('aria-label', 'Chat with us about your order');
    ui.launcher.replaceChildren(icon('chat'));
    ui.launcher.focus();
  }

  function build() {
    var titleId = 'lumen-title';
    ui.log = el('div', {
      class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
      'aria-label': 'Conversation', tabindex: '0'
    });
    ui.banner = el('div', { class: 'banner', role: 'alert', hidden: true });
    ui.feedback = buildFeedback();
    ui.input = el('input', {
      type: 'text', id: 'lumen-input', maxlength: '1000', autocomplete: 'off',
      enterkeyhint: 'send', placeholder: 'Ask about your order…', 'aria-describedby': 'lumen-privacy'
    });
    ui.send = el('button', { type: 'submit', class: 'send', 'aria-label': 'Send message' }, icon('send'));
    ui.panel = el('section', {
      class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId,
      id: 'lumen-panel', tabindex: '-1', hidden: true
    }, [buildHeader(titleId), ui.log, ui.banner, ui.feedback, buildComposer()]);
    ui.launcher.setAttribute('aria-controls', 'lumen-panel');
    ui.wrap.prepend(ui.panel);
  }

  function buildHeader(titleId) {
    var initial = (Array.from(config.storeName.trim())[0] || '?').toUpperCase();
    var online = el('span', { class: 'dot', 'aria-hidden': 'true' });
    return el('header', { class: 'header' }, [
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initial }),
      el('div', { class: 'heading' }, [
        el('h2', { id: titleId, class: 'title', text: config.storeName }),
        el('p', { class: 'subtitle' }, [online, 'Order help · replies in seconds'])
      ]),
      el('button', {
        type: 'button', class: 'close', 'aria-label': 'Close chat', onclick: close
      }, icon('close'))
    ]);
  }

  function buildComposer() {
    var form = el('form', { class: 'composer', onsubmit: onSubmit }, [
      el('label', { for: 'lumen-input', class: 'sr', text: 'Your message' }),
      el('div', { class: 'field' }, [ui.input, ui.send])
    ]);
    var note = el('p', { class: 'privacy', id: 'lumen-privacy' },
      [icon('lock'), 'We check your order email before sharing any order details.']);
    return el('div', { class: 'footer' }, [form, note]);
  }

  function buildFeedback() {
    ui.rateUp = rateButton('up', 'Yes, this was helpful');
    ui.rateDown = rateButton('down', 'No, this was not helpful');
    ui.rateNote = el('span', { class: 'rate-note', role: 'status', text: 'Was this helpful?' });
    return el('div', { class: 'feedback', hidden: true }, [ui.rateNote, ui.rateUp, ui.rateDown]);
  }

  function rateButton(rating, label) {
    return el('button', {
      type: 'button', class: 'rate', 'aria-label': label, 'aria-pressed': 'false',
      'data-rating': rating, onclick: function () { rate(rating); }
    }, icon(rating));
  }

  function onSubmit(event) {
    event.preventDefault();
    var text = ui.input.value.trim();
    if (!text || chat.busy || chat.timer) return;
    ui.input.value = '';
    send(text);
  }

  /* ---------- rendering ---------- */

  function addMessage(role, text) {
    var who = role === 'user' ? 'You' : config.storeName;
    var speaker = el('span', { class: 'sr', text: who + ': ' });
    var bubble = el('div', { class: 'msg ' + role }, [speaker, text]);
    ui.log.append(bubble);
    scrollDown();
    return bubble;
  }

  function addReply(reply) {
    addMessage('bot', String(reply.text || ''));
    var links = list(reply.links).map(linkFor).filter(Boolean);
    if (links.length) ui.log.append(el('div', { class: 'links' }, links));
    showChoices(reply.quick_replies);
  }

  function linkFor(link) {
    var url;
    try { url = new URL(String(link && link.url), location.href); } catch (error) { return null; }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer', class: 'link' }, [
      String(link.label || url.hostname),
      el('span', { class: 'sr', text: ' (opens in a new tab)' }),
      icon('link')
    ]);
  }

  function showChoices(choices) {
    clearChoices();
    choices = list(choices).slice(0, 6).map(String);
    if (!choices.length) return;
    ui.choices = el('div', { class: 'choices', role: 'group', 'aria-label': 'Suggested replies' },
      choices.map(function (choice) {
        return el('button', { type: 'button', class: 'choice', text: choice, onclick: function () {
          if (!chat.busy && !chat.timer) send(choice);
        } });
      }));
    ui.log.append(ui.choices);
    scrollDown();
  }

  function clearChoices() {
    if (!ui.choices) return;
    // Keep focus inside the dialog when the button that had it disappears.
    if (ui.choices.contains(ui.root.activeElement)) ui.input.focus();
    ui.choices.remove();
    ui.choices = null;
  }

  function addNote(text, silent) {
    ui.log.append(el('p', { class: 'note', text: text, 'aria-hidden': silent ? 'true' : null }));
  }

  function setTyping(on) {
    chat.busy = on;
    ui.log.setAttribute('aria-busy', String(on));
    ui.send.disabled = on || !!chat.timer;
    if (ui.typing) ui.typing.remove();
    ui.typing = null;
    if (!on) return;
    ui.typing = el('div', { class: 'msg bot typing', 'aria-hidden': 'true' },
      [el('i'), el('i'), el('i')]);
    ui.log.append(ui.typing);
    scrollDown();
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showBanner(content, action) {
    var parts = [icon('alert'), el('span', { class: 'banner-text' }, content)];
    if (action) {
      parts.push(el('button', { type: 'button', class: 'retry', text: 'Try again', onclick: action }));
    }
    ui.banner.replaceChildren.apply(ui.banner, parts);
    ui.banner.hidden = false;
  }

  function hideBanner() {
    if (ui.banner.contains(ui.root.activeElement)) ui.input.focus();
    ui.banner.hidden = true;
    ui.banner.replaceChildren();
  }

  /* ---------- API ---------- */

  function request(path, body) {
    var controller = new AbortController();
    var timeout = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    return fetch(config.proxyBase + path, {
      method: 'POST', credentials: 'same-origin', signal: controller.signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (raw) {
        var parsed = null;
        try { parsed = raw ? JSON.parse(raw) : null; } catch (error) { parsed = null; }
        return { status: response.status, body: parsed || {}, retryAfter: retryAfter(response) };
      });
    }).catch(function () {
      return { status: 0, body: {} };
    }).finally(function () { clearTimeout(timeout); });
  }

  function retryAfter(response) {
    var raw = response.headers.get('Retry-After');
    if (!raw) return 30;
    var seconds = /^\d+$/.test(raw) ? Number(raw) : Math.ceil((Date.parse(raw) - Date.now()) / 1000);
    return Math.min(Math.max(seconds || 1, 1), 3600);
  }

  function remember(session) {
    chat.token = session.session;
    try { sessionStorage.setItem(storageKey, JSON.stringify(session)); } catch (error) { /* private mode */ }
  }

  function adopt(token) {
    if (token === chat.token) return;
    var saved = remembered() || {};
    saved.session = token;
    remember(saved);
  }

  function remembered() {
    try { return JSON.parse(sessionStorage.getItem(storageKey) || 'null'); } catch (error) { return null; }
  }

  function forget() {
    chat.token = null;
    try { sessionStorage.removeItem(storageKey); } catch (error) { /* private mode */ }
  }

  function resumeOrStart() {
    var saved = remembered();
    if (saved && saved.session) {
      chat.token = saved.session;
      greet(saved);
    } else {
      startSession().then(function (session) { if (session) greet(session); });
    }
  }

  function greet(session) {
    addNote('Today ' + new Date().toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }), true);
    addMessage('bot', String(session.welcome || 'Hi! How can I help with your order?'));
    showChoices(session.quick_prompts);
  }

  function startSession() {
    setTyping(true);
    return request('/api/sessions', {}).then(function (result) {
      setTyping(false);
      if (result.status === 201 && result.body.session) {
        hideBanner();
        remember(result.body);
        return result.body;
      }
      failed(result, function () {
        hideBanner();
        startSession().then(function (session) { if (session) greet(session); });
      });
      return null;
    });
  }

  function send(text, bubble) {
    clearChoices();
    hideBanner();
    bubble = bubble || addMessage('user', text);
    bubble.classList.remove('failed');
    if (!chat.token) return sendWithNewSession(text, bubble);
    setTyping(true);
    request('/api/messages', { session: chat.token, text: text }).then(function (result) {
      setTyping(false);
      if (result.status === 200) {
        // The token changes once an order is verified: keep the new one.
        if (result.body.session) adopt(result.body.session);
        return delivered(result.body.replies);
      }
      if (result.status === 401 && RENEWABLE.indexOf(result.body.error) >= 0 && !chat.renewed) {
        return renewAndResend(text, bubble);
      }
      bubble.classList.add('failed');
      failed(result, function () { send(text, bubble); });
    });
  }

  function delivered(replies) {
    chat.renewed = false;
    replies = list(replies).filter(Boolean);
    replies.forEach(addReply);
    if (replies.length) ui.feedback.hidden = false;
    scrollDown();
  }

  function sendWithNewSession(text, bubble) {
    // Opening the chat could not start a session (offline?): start one now, then send.
    startSession().then(function (session) {
      if (session) send(text, bubble);
      else bubble.classList.add('failed');
    });
  }

  function renewAndResend(text, bubble) {
    // The server forgot the session (idle timeout): start a new one once and replay the message.
    chat.renewed = true;
    forget();
    addNote('Your previous chat timed out, so a new one has started.');
    sendWithNewSession(text, bubble);
  }

  function failed(result, retry) {
    if (result.status === 429) return rateLimited(result.retryAfter, retry);
    if (result.status === 400 || result.status === 413) {
      return showBanner(result.body.message ||
        'That message could not be sent. Please shorten it and try again.');
    }
    if (result.status === 401) {
      forget();
      return showBanner('Your chat session has ended.', function () {
        chat.renewed = false;
        hideBanner();
        startSession().then(function (session) { if (session) retry(); });
      });
    }
    showBanner('We couldn\u2019t reach the store. Check your connection and try again.', retry);
  }

  function rateLimited(seconds, retry) {
    // Screen readers hear the notice once; only the sighted copy counts down.
    var visible = el('span', { 'aria-hidden': 'true' });
    var left = seconds;
    var tick = function () {
      if (left <= 0) {
        clearInterval(chat.timer);
        chat.timer = 0;
        ui.send.disabled = chat.busy;
        return showBanner('You can send messages again.', function () { hideBanner(); retry(); });
      }
      visible.textContent = waitNotice(left);
      left -= 1;
    };
    showBanner([el('span', { class: 'sr', text: waitNotice(seconds) }), visible]);
    clearInterval(chat.timer);
    chat.timer = setInterval(tick, 1000);
    ui.send.disabled = true;
    tick();
  }

  function waitNotice(seconds) {
    return 'Too many messages in a short time. Please wait ' + seconds +
      (seconds === 1 ? '\u00a0second' : '\u00a0seconds') + ' before trying again.';
  }

  function rate(rating) {
    if (!chat.token) return;
    [ui.rateUp, ui.rateDown].forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-rating') === rating));
    });
    request('/api/feedback', { session: chat.token, rating: rating }).then(function (result) {
      ui.rateNote.textContent = result.status === 204
        ? 'Thanks for your feedback!' : 'Feedback could not be sent.';
    });
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
