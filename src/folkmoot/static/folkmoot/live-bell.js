// The bell's unread count, live (issue 9): the live server sends the member's count whenever
// it may have changed (a notification, one read in another tab). Without EventSource or a
// live server, the count is the one the page was served with.
(function () {
  "use strict";
  const { gettext, ngettext, interpolate } = window.folkmootI18n; // i18n.js
  const bell = document.querySelector("[data-live-bell]");
  if (!bell || !window.EventSource) return;
  const source = new EventSource(bell.dataset.liveBell, { withCredentials: true });
  source.addEventListener("unread", function (event) {
    const count = Math.max(0, Number(event.data) || 0);
    let badge = bell.querySelector(".bell-count");
    if (count && !badge) {
      badge = document.createElement("span");
      badge.className = "bell-count";
      bell.appendChild(badge);
    }
    if (badge && count) badge.textContent = String(count);
    else if (badge) badge.remove();
    bell.setAttribute(
      "aria-label",
      count
        ? interpolate(ngettext("Notifications: %(count)s unread", "Notifications: %(count)s unread", count), { count: count })
        : gettext("Notifications"),
    );
  });
})();
