// Unread tracking (issue 9): tells the server how far a member has read a topic, with one small
// POST (the page's "Mark read" form and its CSRF token) a moment after new posts came into
// view. GET requests never write; without JavaScript the form's button does the same.
(function () {
  "use strict";
  const form = document.querySelector("form[data-read-tracker]");
  if (!form || !("IntersectionObserver" in window)) return;
  let seen = 0;
  let sent = 0;
  let timer = null;

  // Opened without an anchor (a plain link to the topic): start at the first unread post.
  const firstUnread = document.getElementById("first-unread");
  if (!location.hash && firstUnread) firstUnread.closest("article").scrollIntoView();

  function send() {
    timer = null;
    if (seen <= sent) return;
    const number = seen;
    const data = new FormData(form);
    data.set("number", String(number));
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (response.ok) {
        sent = Math.max(sent, number);
        document.documentElement.dataset.readUpTo = String(sent);
      }
    });
  }

  const observer = new IntersectionObserver(
    function (entries) {
      for (const entry of entries) {
        // Seen: half of it in view, or its end (a post taller than the window).
        const bottomInView = entry.boundingClientRect.bottom <= window.innerHeight;
        if (!entry.isIntersecting || (entry.intersectionRatio < 0.5 && !bottomInView)) continue;
        const number = Number(entry.target.dataset.number);
        observer.unobserve(entry.target);
        entry.target.classList.remove("unread");
        if (number > seen) seen = number;
      }
      if (seen > sent && timer === null) timer = setTimeout(send, 500);
    },
    { threshold: [0, 0.25, 0.5, 1] },
  );
  document.querySelectorAll("article.post[data-number]").forEach(function (post) {
    observer.observe(post);
  });
  // Replies shown in place by new-replies.js are read the same way.
  document.addEventListener("folkmoot:posts-added", function (event) {
    event.detail.forEach(function (post) {
      observer.observe(post);
    });
  });
})();
