// The resident's chat, on '/' and inside the widget frame. Progressive enhancement: without this
// script the form posts to /chat and the server renders the answer.
// The conversation is kept in sessionStorage, so it survives moving to another page. Its session_id is
// the one the API gave with the first answer (the API issues sessions; one it did not give starts anew).

const root = document.querySelector("[data-chat]");
const COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Text with its line breaks: one <p> per paragraph, <br> within, always as text nodes.
function lines(parent, text) {
  String(text).split("\n").forEach((line, n) => {
    if (n) parent.append(el("br"));
    parent.append(document.createTextNode(line));
  });
}

// A segment from the API (connectors/api/linkify.py): text, or a link for a phone number (tel:, with a
// reading for screen readers), a web or an e-mail address. The same markup as templates/_links.html.
function segment(part, newTab) {
  if (!part.href || !/^(tel:|mailto:|https?:\/\/)/.test(part.href)) {
    const span = document.createDocumentFragment();
    lines(span, part.text || "");
    return span;
  }
  const a = el("a", `utrecht-link ww-link ww-link--${part.kind || "web"}`, part.text);
  a.href = part.href;
  if (part.kind === "tel") a.dir = "ltr";
  if (part.label) a.setAttribute("aria-label", part.label);
  if (newTab && part.kind === "web") {
    a.target = "_blank";
    a.rel = "noopener";
  }
  return a;
}

function richText(reply, newTab) {
  if (!Array.isArray(reply.paragraphs) || !reply.paragraphs.length) return paragraphs(reply.text);
  const box = el("div", "ww-message__text");
  for (const parts of reply.paragraphs) {
    const p = el("p", "utrecht-paragraph");
    for (const part of parts) p.append(segment(part, newTab));
    box.append(p);
  }
  return box;
}

function paragraphs(text) {
  const box = el("div", "ww-message__text");
  const blocks = String(text || "").split(/\n\n+/).filter((b) => b.trim());
  for (const block of blocks.length ? blocks : [""]) {
    const p = el("p", "utrecht-paragraph");
    lines(p, block.trim());
    box.append(p);
  }
  return box;
}

// The accent colour of the widget, with a text colour that has enough contrast on it.
function luminance(hex) {
  const full = hex.length === 4 ? hex.replace(/([0-9a-f])/gi, "$1$1").slice(1) : hex.slice(1);
  const channel = (i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

function applyAccent(color) {
  if (!color || !COLOR.test(color)) return;
  const light = luminance(color);
  const onColor = (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) ? "#000000" : "#ffffff";
  // On the body: it wins over the gemeente's theme sheet, which sets the same tokens there.
  document.body.style.setProperty("--ww-theme-accent", color);
  document.body.style.setProperty("--ww-theme-on-accent", onColor);
}

function hostOrigin() {
  try {
    const given = new URLSearchParams(window.location.search).get("host") || "";
    return new URL(given).origin === given ? given : null;
  } catch (error) {
    return null;
  }
}

function start(chat) {
  const gemeente = chat.dataset.gemeente;
  const embed = chat.dataset.embed === "1";
  const key = `wegwijzer:gesprek:${gemeente}`;
  const transcript = chat.querySelector("#transcript");
  const status = chat.querySelector("#chat-status");
  const form = chat.querySelector("#chat-form");
  const input = chat.querySelector("#message");
  const restart = chat.querySelector("#restart");
  const opening = transcript.querySelector("[data-opening]");
  // The page's words in every language (knowledge/texts, page:), to follow the conversation's language.
  let words = {};
  try {
    words = JSON.parse(chat.dataset.words || "{}");
  } catch (error) {
    words = {};
  }
  let shown = chat.dataset.lang || "nl"; // the language the page's words are in now
  const say = (name) => (words[shown] && words[shown][name]) || (words.nl && words.nl[name]) || "";
  let busy = false;
  // In the widget, the host page keeps the conversation (see widget.js); `host` is its origin.
  const host = embed && window.parent !== window ? hostOrigin() : null;

  function load() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(key) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.items)) return saved;
    } catch (error) {
      // no storage (private mode, blocked): the conversation lasts as long as the page
    }
    return { sessionId: form.elements.session_id.value || "", items: [], lang: null };
  }

  function save() {
    const data = JSON.stringify(state);
    try {
      window.sessionStorage.setItem(key, data);
    } catch (error) {
      // see load()
    }
    if (host) window.parent.postMessage({ type: "wegwijzer:save", state: data }, host);
  }

  let state = load();

  function sourceLink(source) {
    const label = source.label || (source.section ? `${source.document}, ${source.section}` : source.document);
    if (!source.url) return document.createTextNode(label);
    const a = el("a", "utrecht-link", label);
    a.href = source.url;
    if (embed) {
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  // What "kopieer antwoord" puts on the clipboard: the answer's text and its sources with their address.
  function answerText(entry) {
    const parts = (entry.replies || []).map((reply) => reply.text).filter(Boolean);
    const sources = (entry.sources || []).map((source) => {
      const label = source.label || source.document;
      return source.url ? `${label} (${new URL(source.url, window.location.href).href})` : label;
    });
    if (sources.length) parts.push(`${say("sources")}:\n${sources.join("\n")}`);
    return parts.join("\n\n");
  }

  async function copyAnswer(entry) {
    try {
      await navigator.clipboard.writeText(answerText(entry));
      status.textContent = say("copied");
    } catch (error) {
      status.textContent = say("copy_failed");
    }
  }

  // "Zeg het simpeler": the same answer in A2 (from content), in a disclosure that also works without
  // this script (templates/_messages.html builds the same). Tel links, language and direction as the text's.
  // A question with buttons and no simpler words stays with its buttons, below.
  function simplerVersion(entry) {
    const replies = entry.replies || [];
    if (!replies.some((reply) => reply.simple)) return null;
    const details = el("details", "ww-simpler");
    details.append(el("summary", "ww-simpler__toggle", say("simpler")));
    const box = el("div", "ww-simpler__text");
    for (const reply of replies.filter((r) => r.simple || !(r.buttons && r.buttons.length))) {
      const text = richText(
        reply.simple ? { text: reply.simple, paragraphs: reply.simple_paragraphs } : reply,
        embed,
      );
      if (reply.lang) {
        text.lang = reply.lang;
        text.dir = reply.dir === "rtl" ? "rtl" : "ltr";
      }
      box.append(text);
    }
    details.append(box);
    return details;
  }

  function render(entry) {
    if (entry.who === "user" || entry.who === "error") {
      const box = el("div", `ww-message ww-message--${entry.who}`);
      box.append(el("p", "ww-message__who", say(entry.who === "user" ? "who_user" : "who_error")), paragraphs(entry.text));
      return box;
    }
    const box = el("div", `ww-message ww-message--bot${entry.crisis ? " ww-message--crisis" : ""}`);
    // The copy button next to the name: the bot's own buttons stay the last stop before the question box.
    const head = el("div", "ww-message__head");
    const copy = el("button", "utrecht-button utrecht-button--subtle ww-copy-answer", say("copy"));
    copy.type = "button";
    copy.addEventListener("click", () => copyAnswer(entry));
    head.append(el("p", "ww-message__who", say("who_bot")), copy);
    box.append(head);
    const simpler = simplerVersion(entry);
    if (simpler) box.append(simpler);
    for (const reply of entry.replies || []) {
      const text = richText(reply, embed);
      if (reply.lang) {
        text.lang = reply.lang;
        text.dir = reply.dir === "rtl" ? "rtl" : "ltr";
      }
      box.append(text);
      if (reply.buttons && reply.buttons.length) {
        const group = el("div", "ww-choices");
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", say("choices"));
        for (const button of reply.buttons) {
          if (button.url) {
            // A page to open (the callback form), not a message to send: a link that looks like a button.
            const a = el("a", "utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action ww-choice", button.title);
            a.href = button.url;
            if (embed) {
              a.target = "_blank";
              a.rel = "noopener";
            }
            group.append(a);
            continue;
          }
          const b = el("button", "utrecht-button utrecht-button--secondary-action ww-choice", button.title);
          b.type = "button";
          if (reply.lang) b.lang = reply.lang;
          b.addEventListener("click", () => send(button.payload, button.title));
          group.append(b);
        }
        box.append(group);
      }
    }
    if (entry.sources && entry.sources.length) {
      const sources = el("div", "ww-sources");
      const list = el("ul", "ww-sources__list");
      for (const source of entry.sources) {
        const li = el("li");
        li.append(sourceLink(source));
        list.append(li);
      }
      sources.append(el("p", "ww-sources__title", say("sources")), list);
      box.append(sources);
    }
    return box;
  }

  // The page's own words in the conversation's language: the labels, the direction, the opening.
  function applyLanguage(lang) {
    if (!words[lang] || lang === shown) return;
    shown = lang;
    const root = document.documentElement;
    root.lang = lang;
    root.dir = lang === "ar" ? "rtl" : "ltr";
    chat.dataset.lang = lang;
    for (const node of document.querySelectorAll("[data-word]")) {
      if (say(node.dataset.word)) node.textContent = say(node.dataset.word);
    }
    for (const node of document.querySelectorAll("[data-word-label]")) {
      node.setAttribute("aria-label", say(node.dataset.wordLabel));
    }
    // Our own pages (privacy, sources, the statement) open in the conversation's language too.
    for (const link of document.querySelectorAll("[data-lang-href]")) {
      const url = new URL(link.getAttribute("href"), window.location.href);
      if (lang === "nl") url.searchParams.delete("lang");
      else url.searchParams.set("lang", lang);
      link.setAttribute("href", url.pathname + url.search);
    }
    for (const link of document.querySelectorAll("[data-lang-choice]")) {
      if (link.dataset.langChoice === lang) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    if (opening) {
      const text = opening.querySelector(".ww-message__text");
      text.replaceChildren(...paragraphs(say("opening")).childNodes);
      text.lang = lang;
      text.dir = root.dir;
      opening.querySelector(".ww-message__who").textContent = say("who_bot");
    }
    if (form.elements.lang) form.elements.lang.value = lang;
    showAll();
  }

  function showAll() {
    transcript.replaceChildren(...(opening ? [opening] : []), ...state.items.map(render));
  }

  function show(entry) {
    const node = render(entry);
    transcript.append(node);
    transcript.scrollTop = transcript.scrollHeight;
    return node;
  }

  function add(entry) {
    state.items.push(entry);
    save();
    const node = show(entry);
    // A long answer is read from its start: scroll the log to the top of the new answer.
    if (entry.who === "bot") transcript.scrollTop = Math.max(0, node.offsetTop - 8);
  }

  async function send(message, shownTitle) {
    const text = String(message || "").trim();
    if (!text || busy) return;
    busy = true;
    chat.setAttribute("aria-busy", "true");
    add({ who: "user", text: shownTitle || text });
    status.textContent = say("busy");
    const body = { session_id: state.sessionId || null, message: text, gemeente };
    if (state.lang) body.lang = state.lang; // the conversation's language: chosen, or the last answer's
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        add({ who: "error", text: data.detail || say("failed") });
      } else {
        if (typeof data.session_id === "string") state.sessionId = data.session_id;
        if (data.lang) state.lang = data.lang;
        applyLanguage(data.lang);
        add({
          who: "bot",
          replies: data.replies,
          sources: data.sources,
          crisis: data.crisis,
          degraded: data.degraded,
          lang: data.lang,
        });
      }
    } catch (error) {
      add({ who: "error", text: say("offline") });
    } finally {
      busy = false;
      chat.removeAttribute("aria-busy");
      status.textContent = "";
    }
  }

  function reset() {
    const lang = chat.dataset.langChosen === "1" ? state.lang : null;
    state = { sessionId: "", items: [], lang };
    try {
      window.sessionStorage.removeItem(key);
    } catch (error) {
      // see load()
    }
    if (host) window.parent.postMessage({ type: "wegwijzer:save", state: null }, host);
    showAll();
    status.textContent = say("cleared");
    input.value = "";
    input.focus();
  }

  // A language picked in the header is the conversation's language from now on.
  if (chat.dataset.langChosen === "1" && state.lang !== chat.dataset.lang) {
    state.lang = chat.dataset.lang;
    save();
  }
  if (state.items.length) showAll();
  if (state.lang) applyLanguage(state.lang);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) {
      status.textContent = say("type_first");
      input.focus();
      return;
    }
    input.value = "";
    send(text);
    input.focus();
  });

  // Enter sends, Shift+Enter starts a new line.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  restart.addEventListener("click", (event) => {
    event.preventDefault();
    reset();
  });

  function restore(saved) {
    try {
      const data = JSON.parse(saved || "null");
      if (!data || typeof data.sessionId !== "string" || !Array.isArray(data.items)) return;
      if (data.items.length < state.items.length) return;
      state = data;
      showAll();
      if (state.lang) applyLanguage(state.lang);
    } catch (error) {
      // a broken saved state: start fresh
    }
  }

  if (embed) {
    applyAccent(chat.dataset.color);
    if (host) {
      // The widget asks for focus when it opens, hands back the saved conversation; Escape closes it.
      window.addEventListener("message", (event) => {
        if (event.origin !== host || event.source !== window.parent || !event.data) return;
        if (event.data.type === "wegwijzer:focus") input.focus();
        if (event.data.type === "wegwijzer:restore") restore(event.data.state);
      });
      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape") window.parent.postMessage({ type: "wegwijzer:close" }, host);
      });
      window.parent.postMessage({ type: "wegwijzer:ready" }, host);
    }
  }
  chat.dataset.ready = "1"; // the page is live: scripts and tests wait for this
}

if (root) start(root);
