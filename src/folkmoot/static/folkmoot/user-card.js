// Hovering or focusing a member's name (a link with data-user-card) shows their card: picture,
// name, join date, post count, reputation. Fetched when first asked for (the page itself costs
// nothing more), kept for the rest of the visit. Escape, moving away or tabbing on hides it.
// Without JavaScript the name is a plain link to the profile.
(function () {
  "use strict";
  var cards = new Map(); // url -> Promise of the card's HTML
  var panel = null;
  var owner = null; // the link whose card is shown
  var hideTimer = null;

  function fetchCard(url) {
    if (!cards.has(url)) {
      cards.set(
        url,
        fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error("card " + response.status);
          return response.text();
        })
      );
      cards.get(url).catch(function () {
        cards.delete(url); // try again next time
      });
    }
    return cards.get(url);
  }

  function ensurePanel() {
    if (panel) return panel;
    panel = document.createElement("div");
    panel.className = "user-card";
    panel.id = "user-card";
    panel.setAttribute("role", "tooltip");
    panel.hidden = true;
    panel.addEventListener("mouseenter", function () {
      clearTimeout(hideTimer);
    });
    panel.addEventListener("mouseleave", scheduleHide);
    document.body.append(panel);
    return panel;
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var width = Math.min(320, document.documentElement.clientWidth - 16);
    // Under the name, starting where the name starts: its right edge on a right-to-left page.
    var start = getComputedStyle(link).direction === "rtl" ? box.right - width : box.left;
    var left = Math.max(8, Math.min(start, document.documentElement.clientWidth - width - 8));
    panel.style.left = left + window.scrollX + "px";
    panel.style.top = box.bottom + window.scrollY + 6 + "px";
    panel.style.width = width + "px";
  }

  function show(link) {
    clearTimeout(hideTimer);
    var url = link.dataset.userCard;
    owner = link;
    fetchCard(url).then(
      function (html) {
        if (owner !== link) return; // moved on meanwhile
        ensurePanel();
        panel.innerHTML = html; // our own server's fragment, escaped by its template
        place(link);
        panel.hidden = false;
        link.setAttribute("aria-describedby", "user-card");
      },
      function () {
        /* no card: the link still leads to the profile */
      }
    );
  }

  function hide() {
    clearTimeout(hideTimer);
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
    if (panel) panel.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200); // time to move the pointer onto the card
  }

  function cardLink(target) {
    return target instanceof Element ? target.closest("a[data-user-card]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = cardLink(event.target);
    if (link && link !== owner) show(link);
    else if (link) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", function (event) {
    var link = cardLink(event.target);
    if (link && !link.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = cardLink(event.target);
    if (link) show(link);
    else if (owner && !(panel && panel.contains(event.target))) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && owner) hide();
  });
})();
