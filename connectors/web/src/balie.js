// The front-desk lookup: results as you type (debounced), arrow keys through the results,
// Enter (or the button) copies the referral text. Without this script the form is a plain GET form.

const form = document.querySelector("[data-balie]");
const DEBOUNCE_MS = 250;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href, text) {
  if (!href) return document.createTextNode(text);
  const a = el("a", "utrecht-link", text);
  a.href = href;
  return a;
}

// A segment of connectors/api/linkify.py: text, or a tel:/web/mail link (the same markup as _links.html).
function segment(part) {
  if (!part.href || !/^(tel:|mailto:|https?:\/\/)/.test(part.href)) return document.createTextNode(part.text || "");
  const a = el("a", `utrecht-link ww-link ww-link--${part.kind || "web"}`, part.text);
  a.href = part.href;
  if (part.kind === "tel") a.dir = "ltr";
  if (part.label) a.setAttribute("aria-label", part.label);
  return a;
}

function hidden(text) {
  return el("span", "ww-visually-hidden", text);
}

function serviceCard(s) {
  const card = el("article", "ww-card");
  card.tabIndex = -1;
  card.dataset.copy = s.referral;
  card.dataset.name = s.name;
  const title = el("h3", "utrecht-heading-3 ww-card__name", s.name);
  title.id = `dienst-${s.id}`;
  card.setAttribute("aria-labelledby", title.id);
  card.append(title, el("p", "utrecht-paragraph ww-card__for", `${s.for_whom}${s.national ? " Landelijk." : ""}`));
  card.append(el("p", "utrecht-paragraph ww-card__what", s.summary));
  const how = el("p", "utrecht-paragraph ww-card__how");
  how.append(el("strong", "", "Zo bereikt u hen:"), document.createTextNode(" "));
  for (const part of s.contact.how_segments || [{ text: s.contact.how }]) how.append(segment(part));
  card.append(how);
  if (s.source) {
    const source = el("p", "utrecht-paragraph ww-card__source", "Bron: ");
    source.append(link(s.source.url, s.source.year ? `${s.source.title} (${s.source.year})` : s.source.title));
    card.append(source);
  }
  const details = el("details", "ww-card__referral");
  details.append(el("summary", "", "Verwijstekst bekijken"), el("p", "utrecht-paragraph ww-referral", s.referral));
  const copy = el("button", "utrecht-button utrecht-button--secondary-action ww-copy", "Kopieer verwijstekst");
  copy.type = "button";
  copy.append(hidden(` voor ${s.name}`));
  card.append(details, copy);
  return card;
}

function passageCard(p) {
  const card = el("article", "ww-passage");
  card.tabIndex = -1;
  card.dataset.copy = p.citation;
  card.setAttribute("aria-label", `Passage uit ${p.citation}`);
  const quote = el("blockquote", "utrecht-blockquote ww-passage__text");
  const text = el("p", "utrecht-paragraph");
  // Segments come from the API: plain text pieces, some marked. No HTML is ever parsed.
  for (const segment of p.segments) {
    text.append(segment.mark ? el("mark", "utrecht-mark", segment.text) : document.createTextNode(segment.text));
  }
  quote.append(text);
  const citation = el("p", "utrecht-paragraph ww-citation", "Bron: ");
  citation.append(link(p.url, p.citation));
  card.append(quote, citation);
  return card;
}

function list(className, items, make) {
  const ol = el("ol", `ww-results ${className}`);
  for (const item of items) {
    const li = el("li");
    li.append(make(item));
    ol.append(li);
  }
  return ol;
}

function start() {
  const q = form.querySelector("#q");
  const gemeente = form.querySelector("#gemeente");
  const topic = form.querySelector("#topic");
  const results = document.getElementById("results");
  const status = document.getElementById("balie-status");
  let timer = 0;
  let controller = null;

  function items() {
    return Array.from(results.querySelectorAll("article[tabindex]"));
  }

  function render(data) {
    const parts = [el("h2", "utrecht-heading-2", `Plekken (${data.services.length})`)];
    parts.push(
      data.services.length
        ? list("ww-results--services", data.services, serviceCard)
        : el("p", "utrecht-paragraph", "Geen plekken gevonden."),
    );
    if (data.query) {
      parts.push(el("h2", "utrecht-heading-2", `Uit de beleidsteksten (${data.passages.length})`));
      parts.push(list("ww-results--passages", data.passages, passageCard));
    }
    results.replaceChildren(...parts);
    status.textContent = data.query
      ? `${data.services.length} plekken en ${data.passages.length} passages gevonden.`
      : `${data.services.length} plekken bij dit onderwerp.`;
  }

  async function search() {
    const params = new URLSearchParams({ gemeente: gemeente.value, k: "5" });
    if (q.value.trim()) params.set("q", q.value.trim());
    if (topic.value) params.set("topic", topic.value);
    if (!q.value.trim() && !topic.value) {
      if (controller) controller.abort();
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    status.textContent = "Zoeken...";
    results.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`/api/search?${params}`, { signal: mine.signal, headers: { Accept: "application/json" } });
      const data = await response.json().catch(() => ({}));
      if (mine !== controller) return;
      if (!response.ok) {
        results.replaceChildren();
        status.textContent = data.detail || "Zoeken lukte niet. Probeer het opnieuw.";
      } else {
        render(data);
      }
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = "Zoeken lukte niet. Kijk of de verbinding werkt.";
    } finally {
      if (mine === controller) results.removeAttribute("aria-busy");
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DEBOUNCE_MS);
  }

  async function copy(card) {
    const text = card.dataset.copy || "";
    const what = card.classList.contains("ww-card") ? `Verwijstekst voor ${card.dataset.name}` : "Bronvermelding";
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = `${what} gekopieerd.`;
    } catch (error) {
      status.textContent = "Kopiëren lukte niet. Open 'Verwijstekst bekijken' en kopieer de tekst zelf.";
    }
  }

  function move(from, step) {
    const all = items();
    if (!all.length) return;
    const at = all.indexOf(from);
    const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
    if (next < 0) q.focus();
    else all[Math.min(next, all.length - 1)].focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    search();
  });
  q.addEventListener("input", later);
  gemeente.addEventListener("change", search);
  topic.addEventListener("change", search);

  q.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      move(null, 1);
    }
  });

  results.addEventListener("keydown", (event) => {
    const card = event.target.closest && event.target.closest("article[tabindex]");
    if (!card) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(card, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && event.target === card) {
      event.preventDefault();
      copy(card);
    } else if (event.key === "Escape") {
      q.focus();
    }
  });

  results.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".ww-copy");
    if (button) copy(button.closest("article"));
  });

  q.focus();
}

if (form) start();
