// Light or dark: the system's preference unless this browser chose one (stored in
// localStorage), or, for a signed-in member, their account's choice (set on <html> by the
// server). Loaded in <head>, before the body, so the page is painted in the chosen theme
// from the start; the header's toggle button is wired up once the page has loaded.
(function () {
  "use strict";
  var KEY = "folkmoot-theme";
  var root = document.documentElement;
  // A signed-in member's choice is on their account: the server has set data-theme already
  // (data-theme-saved says so), and this browser's own choice does not apply.
  var saveUrl = root.dataset.themeSaveUrl;
  var stored = null;
  if (!root.dataset.themeSaved) {
    try {
      stored = window.localStorage.getItem(KEY);
    } catch (e) {
      stored = null; // storage blocked: follow the system
    }
  }
  if (stored === "light" || stored === "dark") root.dataset.theme = stored;

  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    var chosen = root.dataset.theme;
    return chosen ? chosen === "dark" : systemDark.matches;
  }
  function save(theme) {
    var body = new FormData();
    body.append("theme", theme);
    fetch(saveUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": root.dataset.csrf || "", Accept: "application/json" },
      credentials: "same-origin",
    }).catch(function () {
      /* applied to this page; the account keeps the previous choice */
    });
  }
  function choose(theme) {
    if (saveUrl) {
      // A member: kept on the account, so every device they sign in on follows.
      root.dataset.theme = theme;
      root.dataset.themeSaved = theme;
      save(theme);
      return;
    }
    // Choosing what the system already prefers forgets the choice, so the page follows the
    // system again when that changes.
    var follow = (theme === "dark") === systemDark.matches;
    try {
      if (follow) window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, theme);
    } catch (e) {
      /* not remembered, still applied */
    }
    if (follow) delete root.dataset.theme;
    else root.dataset.theme = theme;
  }
  function wire() {
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    function show() {
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", isDark() ? "true" : "false");
      });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        choose(isDark() ? "light" : "dark");
        show();
      });
    });
    systemDark.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
