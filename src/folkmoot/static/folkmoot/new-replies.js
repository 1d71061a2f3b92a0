// New replies on an open topic (issue 9): the topic's last page asks a small JSON endpoint every
// few seconds how many replies were published after its last post, says "N new replies", and on
// a click fetches the page that holds the first of them (its permalink: the same page a reload
// would show, from the anonymous page cache for visitors) and shows the new posts in place.
// With a live server (data-live) and EventSource, it asks at once when the server says the
// topic's newest post number moved, and polls only while the stream is down.
(function () {
  "use strict";
  const { ngettext, interpolate } = window.folkmootI18n; // i18n.js
  const box = document.querySelector("[data-new-replies]");
  const posts = document.querySelector(".posts");
  if (!box || !posts || !window.fetch || !window.DOMParser) return;
  const button = box.querySelector("button");
  const seconds = Math.max(1, Number(box.dataset.pollSeconds) || 15);
  let after = Number(box.dataset.after) || 0;
  let first = null;
  let busy = false;
  let askAgain = false;
  let timer = null;

  function poll(now) {
    if (busy) {
      askAgain = askAgain || now === true;
      return;
    }
    if (document.hidden && now !== true) return;
    busy = true;
    fetch(box.dataset.newReplies + "?after=" + after, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data || !data.count) return;
        first = data.first;
        const more = data.count >= 100 ? "100+" : String(data.count);
        const label = ngettext("%(count)s new reply: show", "%(count)s new replies: show", data.count);
        button.textContent = interpolate(label, { count: more });
        box.hidden = false;
      })
      .catch(function () {})
      .finally(function () {
        busy = false;
        if (askAgain) {
          askAgain = false;
          poll(true);
        }
      });
  }

  function startPolling() {
    if (timer === null) timer = setInterval(poll, seconds * 1000);
  }

  function stopPolling() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function listen() {
    const source = new EventSource(box.dataset.live + "?after=" + after, {
      withCredentials: true,
    });
    source.addEventListener("reply", function () {
      poll(true);
    });
    source.addEventListener("open", stopPolling);
    // Reconnecting (it resumes with Last-Event-ID), or refused for good: poll meanwhile.
    source.addEventListener("error", startPolling);
  }

  function show() {
    if (first === null) return;
    busy = true;
    fetch("/p/" + first + "/", { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        const page = new DOMParser().parseFromString(html, "text/html");
        const added = [];
        let last = null;
        posts.querySelectorAll(":scope > article.post").forEach(function (article) {
          last = article;
        });
        page.querySelectorAll(".posts > article.post[data-number]").forEach(function (article) {
          const number = Number(article.dataset.number);
          if (number <= after || document.getElementById(article.id)) return;
          const node = document.importNode(article, true);
          if (last) last.after(node);
          else posts.prepend(node);
          last = node;
          added.push(node);
          after = Math.max(after, number);
        });
        box.hidden = true;
        first = null;
        if (added.length) {
          document.dispatchEvent(new CustomEvent("folkmoot:posts-added", { detail: added }));
          added[0].scrollIntoView({ block: "start" });
        }
      })
      .catch(function () {})
      .finally(function () {
        busy = false;
      });
  }

  button.addEventListener("click", show);
  if (box.dataset.live && window.EventSource) listen();
  else startPolling();
})();
