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
function paragraphs(text) {
  const box = el("div", "ww-message__text");
  const blocks = String(text || "").split(/\n\n+/).filter((b) => b.trim());
  for (const block of blocks.length ? blocks : [""]) {
    const p = el("p", "utrecht-paragraph");
    block.trim().split("\n").forEach((line, n) => {
      if (n) p.append(el("br"));
      p.append(document.createTextNode(line));
    });
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
  document.documentElement.style.setProperty("--ww-accent", color);
  document.documentElement.style.setProperty("--ww-on-accent", onColor);
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
    return { sessionId: form.elements.session_id.value || "", items: [] };
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
    const label = source.section ? `${source.document}, ${source.section}` : source.document;
    if (!source.url) return document.createTextNode(label);
    const a = el("a", "utrecht-link", label);
    a.href = source.url;
    if (embed) {
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  function render(entry) {
    if (entry.who === "user" || entry.who === "error") {
      const box = el("div", `ww-message ww-message--${entry.who}`);
      box.append(el("p", "ww-message__who", entry.who === "user" ? "U" : "Let op"), paragraphs(entry.text));
      return box;
    }
    const box = el("div", `ww-message ww-message--bot${entry.crisis ? " ww-message--crisis" : ""}`);
    box.append(el("p", "ww-message__who", "Chatbot"));
    for (const reply of entry.replies || []) {
      box.append(paragraphs(reply.text));
      if (reply.buttons && reply.buttons.length) {
        const group = el("div", "ww-choices");
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", "Kies een antwoord");
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
      sources.append(el("p", "ww-sources__title", "Bronnen"), list);
      box.append(sources);
    }
    return box;
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

  async function send(message, shown) {
    const text = String(message || "").trim();
    if (!text || busy) return;
    busy = true;
    chat.setAttribute("aria-busy", "true");
    add({ who: "user", text: shown || text });
    status.textContent = "De chatbot zoekt een antwoord.";
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ session_id: state.sessionId || null, message: text, gemeente }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        add({ who: "error", text: data.detail || "Dit lukte niet. Probeer het opnieuw." });
      } else {
        if (typeof data.session_id === "string") state.sessionId = data.session_id;
        add({ who: "bot", replies: data.replies, sources: data.sources, crisis: data.crisis, degraded: data.degraded });
      }
    } catch (error) {
      add({ who: "error", text: "De chatbot is nu niet bereikbaar. Kijk of uw internet werkt. Probeer het dan opnieuw." });
    } finally {
      busy = false;
      chat.removeAttribute("aria-busy");
      status.textContent = "";
    }
  }

  function reset() {
    state = { sessionId: "", items: [] };
    try {
      window.sessionStorage.removeItem(key);
    } catch (error) {
      // see load()
    }
    if (host) window.parent.postMessage({ type: "wegwijzer:save", state: null }, host);
    transcript.replaceChildren();
    status.textContent = "Het gesprek is gewist. U kunt een nieuwe vraag stellen.";
    input.value = "";
    input.focus();
  }

  if (state.items.length) {
    transcript.replaceChildren();
    state.items.forEach(show);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) {
      status.textContent = "Typ eerst uw vraag.";
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
      transcript.replaceChildren();
      state.items.forEach(show);
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
