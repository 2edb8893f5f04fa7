/*
 * Wegwijzer chat widget. A municipality pastes one tag into its site:
 *   <script src="https://wegwijzer.example/widget.js" data-gemeente="purmerend"
 *           data-color="#00529b" data-position="right" defer></script>
 * Optional: data-lang="en" (the chat's language), data-label (the button's text).
 * The widget's own words (button, bar, close) follow the conversation's language: the API fills in WORDS
 * from knowledge/texts when it serves this file (connectors/api/routes/pages.py).
 * It adds a button; the chat opens in a panel with an iframe served by Wegwijzer, so the host page
 * needs no inline script or style: its CSP allows this origin in script-src, style-src and frame-src.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.wegwijzerWidget) return;
  window.wegwijzerWidget = true;

  var origin = new URL(script.src, window.location.href).origin;
  var data = script.dataset;
  var COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
  var color = COLOR.test(data.color || "") ? data.color : "";
  var position = data.position === "left" ? "left" : "right";
  var gemeente = (data.gemeente || "").toLowerCase();
  // Filled in by the API from knowledge/texts (page:) per language, and the gemeenten's names; the Dutch
  // words below stand in when the file is served as it is.
  var WORDS = /*wegwijzer:words*/ {};
  var NAMES = /*wegwijzer:names*/ {};
  var DUTCH = {
    widget_open: "Chat met de chatbot",
    who_bot: "Chatbot",
    widget_close: "Sluiten",
    widget_close_label: "Chat sluiten",
    widget_title: "Chatbot van de gemeente {gemeente}",
  };
  var OPEN_KEY = "wegwijzer:widget:open";
  // The conversation is kept here, in the host site's sessionStorage: browsers may refuse storage to
  // a frame of another site, so the frame sends its state up and gets it back when it loads.
  var CHAT_KEY = "wegwijzer:gesprek:" + gemeente;

  function luminance(hex) {
    var full = hex.length === 4 ? hex.replace(/([0-9a-f])/gi, "$1$1").slice(1) : hex.slice(1);
    function channel(i) {
      var c = parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  }

  function remember(open) {
    try {
      if (open) window.sessionStorage.setItem(OPEN_KEY, "1");
      else window.sessionStorage.removeItem(OPEN_KEY);
    } catch (error) {
      /* no storage: the panel simply starts closed */
    }
  }

  function stored(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (error) {
      return null;
    }
  }

  function store(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (error) {
      /* no storage: the conversation lasts as long as the page */
    }
  }

  function wasOpen() {
    try {
      return window.sessionStorage.getItem(OPEN_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  // The conversation's language: the one the chat last answered in (kept with the conversation), else
  // the site's data-lang, else Dutch.
  function conversationLang() {
    try {
      var saved = JSON.parse(stored(CHAT_KEY) || "null");
      if (saved && typeof saved.lang === "string" && WORDS[saved.lang]) return saved.lang;
    } catch (error) {
      /* a broken saved state: the site's language */
    }
    return WORDS[data.lang] ? data.lang : "nl";
  }

  var lang = conversationLang();

  function word(name) {
    var own = WORDS[lang] || {};
    var text = own[name] || (WORDS.nl || {})[name] || DUTCH[name];
    return text.replace("{gemeente}", NAMES[gemeente] || gemeente);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = origin + "/static/widget.css";

  var root = make("div", "wegwijzer-widget wegwijzer-widget--" + position);
  if (color) {
    // CSSOM, not a style attribute: allowed under a strict CSP.
    var light = luminance(color);
    root.style.setProperty("--wegwijzer-color", color);
    root.style.setProperty("--wegwijzer-on-color", (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) ? "#000" : "#fff");
  }

  var launcher = make("button", "wegwijzer-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "wegwijzer-panel");

  var panel = make("div", "wegwijzer-panel");
  panel.id = "wegwijzer-panel";
  panel.hidden = true;
  panel.setAttribute("role", "region");

  var bar = make("div", "wegwijzer-panel__bar");
  var title = make("p", "wegwijzer-panel__title");
  var close = make("button", "wegwijzer-close");
  close.type = "button";
  bar.appendChild(title);
  bar.appendChild(close);
  panel.appendChild(bar);

  var frame = null;
  var frameReady = false;

  // The button, the bar and their names in the conversation's language (a site's data-label stays its own).
  function showWords() {
    root.setAttribute("lang", lang);
    bar.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    launcher.textContent = data.label || word("widget_open");
    if (data.label && document.documentElement.lang) launcher.lang = document.documentElement.lang;
    title.textContent = word("who_bot");
    close.textContent = word("widget_close");
    close.setAttribute("aria-label", word("widget_close_label"));
    panel.setAttribute("aria-label", word("widget_title"));
    if (frame) frame.title = word("widget_title");
  }

  function ensureFrame() {
    if (frame) return;
    frame = make("iframe", "wegwijzer-frame");
    frame.title = word("widget_title");
    var src = origin + "/widget/frame?gemeente=" + encodeURIComponent(gemeente);
    src += "&host=" + encodeURIComponent(window.location.origin);
    if (color) src += "&color=" + encodeURIComponent(color);
    if (/^[a-z]{2}$/.test(data.lang || "")) src += "&lang=" + data.lang;
    frame.src = src;
    panel.appendChild(frame);
  }

  function focusFrame() {
    if (!frame) return;
    frame.focus();
    if (frameReady) frame.contentWindow.postMessage({ type: "wegwijzer:focus" }, origin);
  }

  function open(focus) {
    ensureFrame();
    panel.hidden = false;
    root.classList.add("wegwijzer-widget--open");
    launcher.setAttribute("aria-expanded", "true");
    remember(true);
    if (focus) focusFrame();
  }

  function shut() {
    panel.hidden = true;
    root.classList.remove("wegwijzer-widget--open");
    launcher.setAttribute("aria-expanded", "false");
    remember(false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(true);
    else shut();
  });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") shut();
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow || !event.data) return;
    var type = event.data.type;
    if (type === "wegwijzer:ready") {
      frameReady = true;
      frame.contentWindow.postMessage({ type: "wegwijzer:restore", state: stored(CHAT_KEY) }, origin);
      if (!panel.hidden && document.activeElement === frame) focusFrame();
    } else if (type === "wegwijzer:save") {
      store(CHAT_KEY, typeof event.data.state === "string" ? event.data.state : null);
      var next = conversationLang();
      if (next !== lang) {
        lang = next;
        showWords();
      }
    } else if (type === "wegwijzer:close" && !panel.hidden) {
      shut();
    }
  });

  root.appendChild(panel);
  root.appendChild(launcher);
  showWords();

  function mount() {
    document.head.appendChild(css);
    document.body.appendChild(root);
    if (wasOpen()) open(false);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
