// The post action row in place: reactions without a reload, "Copy link", the Web Share API,
// and "Quote" (the whole post, or the part of it selected) into the reply box.
// Without this script every one of them is a plain form or link that works the same.
(() => {
  "use strict";
  const { gettext, ngettext, interpolate } = window.folkmootI18n; // i18n.js

  // --- reactions: the form posts with fetch, and the post's reactions are drawn again ------
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(".react-form")) return;
    event.preventDefault();
    const box = form.closest(".reactions");
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
    const error = box.querySelector(".react-error");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (e) {
      error.textContent = gettext("Could not reach the forum. Check your connection and try again.");
      error.hidden = false;
      return;
    }
    let answer = {};
    try { answer = await response.json(); } catch (e) { /* not JSON: a fault page */ }
    if (!response.ok || !answer.html) {
      error.textContent = answer.error || gettext("Your reaction was not saved. Try again.");
      error.hidden = false;
      return;
    }
    const fresh = document.createElement("template");
    fresh.innerHTML = answer.html.trim();
    const replacement = fresh.content.firstElementChild;
    box.replaceWith(replacement);
    const summary = replacement.querySelector(".react-menu summary");
    if (summary) summary.focus();
    const status = replacement.querySelector(".react-error");
    if (status) {
      status.setAttribute("role", "status");
      status.classList.add("visually-hidden");
      status.hidden = false;
      status.textContent = answer.kind ? gettext("Reaction saved.") : gettext("Reaction taken back.");
    }
  });

  // --- copy link and the system's share sheet (shown by revealButtons, below) ------------
  document.addEventListener("click", async (event) => {
    const copy = event.target.closest(".copy-link");
    if (copy) {
      // Its own label (the page's, in the page's language) comes back afterwards.
      copy.dataset.label ??= copy.textContent;
      try {
        await navigator.clipboard.writeText(copy.dataset.copy);
        copy.textContent = gettext("Copied");
      } catch (e) {
        const input = copy.parentElement.querySelector(".share-link");
        if (input) input.select();
        copy.textContent = gettext("Press Ctrl+C to copy");
      }
      setTimeout(() => { copy.textContent = copy.dataset.label; }, 2500);
      return;
    }
    const share = event.target.closest(".web-share");
    if (share) {
      navigator.share({ title: share.dataset.shareTitle, url: share.dataset.shareUrl }).catch(() => {});
      return;
    }
    const quote = event.target.closest(".quote-link");
    if (quote) { quoteIntoReply(event, quote); return; }
    const pick = event.target.closest(".multi-quote");
    if (pick) { toggleInBasket(pick); return; }
    if (event.target.closest(".basket-insert")) { insertBasket(); return; }
    if (event.target.closest(".basket-clear")) { saveBasket([]); drawBasket(); }
  });

  // --- quotes ---------------------------------------------------------------------------
  function blockQuote(author, url, text) {
    const lines = text.trim().split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
    return `> **[${author}](${url}) wrote:**\n>\n${lines.join("\n")}\n\n`;
  }

  function selectionIn(article) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return "";
    const body = article.querySelector(".post-body");
    const range = selection.getRangeAt(0);
    if (!body || !body.contains(range.commonAncestorContainer)) return "";
    return selection.toString();
  }

  function appendToReply(markdown) {
    const textarea = document.querySelector("#reply textarea[name=body]");
    const before = textarea.value.replace(/\s+$/, "");
    textarea.value = (before ? before + "\n\n" : "") + markdown;
    // The editor, once open, takes text that reaches its textarea (composer.js).
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    document.getElementById("reply").scrollIntoView({ block: "start" });
    const editor = document.querySelector("#reply [contenteditable=true]");
    (editor || textarea).focus();
  }

  async function quoteIntoReply(event, link) {
    const textarea = document.querySelector("#reply textarea[name=body]");
    if (!textarea) return; // no reply box here: follow the link
    event.preventDefault();
    const article = link.closest("article.post");
    let markdown;
    const selected = article ? selectionIn(article) : "";
    if (selected.trim()) {
      markdown = blockQuote(link.dataset.quoteAuthor, link.dataset.quoteUrl, selected);
    } else {
      try {
        const response = await fetch(link.dataset.quoteSource, { headers: { Accept: "application/json" } });
        markdown = (await response.json()).markdown;
      } catch (e) {
        markdown = "";
      }
      if (!markdown) { location.href = link.href; return; }
    }
    appendToReply(markdown);
  }

  // --- the multi-quote basket: posts from any page or topic, kept in this browser ----------
  const BASKET = "folkmoot:quote-basket";
  const loadBasket = () => {
    try { return JSON.parse(localStorage.getItem(BASKET)) || []; } catch (e) { return []; }
  };
  const saveBasket = (items) => {
    try { localStorage.setItem(BASKET, JSON.stringify(items)); } catch (e) { /* storage blocked */ }
  };

  function toggleInBasket(button) {
    const source = button.dataset.quoteSource;
    const items = loadBasket();
    const kept = items.filter((item) => item !== source);
    if (kept.length === items.length) kept.push(source);
    saveBasket(kept);
    drawBasket();
  }

  function drawBasket() {
    const items = loadBasket();
    for (const button of document.querySelectorAll(".multi-quote")) {
      const inBasket = items.includes(button.dataset.quoteSource);
      button.setAttribute("aria-pressed", String(inBasket));
    }
    const bar = document.getElementById("quote-basket");
    if (!bar) return;
    bar.hidden = items.length === 0 || !document.querySelector("#reply textarea[name=body]");
    bar.querySelector(".basket-count").textContent =
      interpolate(ngettext("%(count)s post to quote", "%(count)s posts to quote", items.length), { count: items.length });
  }

  async function insertBasket() {
    const items = loadBasket();
    const quotes = [];
    for (const source of items) {
      try {
        const response = await fetch(source, { headers: { Accept: "application/json" } });
        if (response.ok) quotes.push((await response.json()).markdown);
      } catch (e) { /* a post gone or unreachable: left out */ }
    }
    saveBasket([]);
    drawBasket();
    if (quotes.length) appendToReply(quotes.join(""));
  }

  // The buttons that need this script (and, for copy and share, this browser's support), in
  // the page and in posts shown later: new replies, a post redrawn in place by a moderator.
  function revealButtons(root) {
    for (const button of root.querySelectorAll(".copy-link")) {
      if (navigator.clipboard) button.hidden = false;
    }
    for (const button of root.querySelectorAll(".web-share")) {
      if (navigator.share) button.hidden = false;
    }
    for (const button of root.querySelectorAll(".multi-quote")) button.hidden = false;
  }
  revealButtons(document);
  drawBasket();
  document.addEventListener("folkmoot:posts-added", (event) => {
    for (const post of event.detail) revealButtons(post);
    drawBasket();
  });
  window.addEventListener("storage", (event) => { if (event.key === BASKET) drawBasket(); });
})();
