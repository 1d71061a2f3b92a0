// Moderators' "Selected posts" panel (issue 12), enhanced: it counts the ticked posts, shows only
// the fields the chosen action needs, and asks for a reason only to hide. Without JavaScript the
// same form shows every field and the server says what is missing.
// The panel is looked up at each use: in-place.js swaps in a new one after an action.
(function () {
  "use strict";
  const panel = function () {
    return document.getElementById("selected-posts");
  };
  if (!panel()) return;
  const boxes = function () {
    return document.querySelectorAll("input[type=checkbox][form=selected-posts]");
  };

  function showCount() {
    const count = document.querySelector(".selected-count");
    const ticked = Array.prototype.filter.call(boxes(), function (box) {
      return box.checked;
    }).length;
    if (count) count.textContent = ticked ? " (" + ticked + ")" : "";
  }

  function showFields() {
    const form = panel();
    if (!form) return;
    const reason = form.querySelector("[name=reason]");
    const chosen = form.querySelector("[name=action]:checked");
    const action = chosen ? chosen.value : "";
    form.querySelectorAll("[data-for-action]").forEach(function (row) {
      row.hidden = Boolean(action) && row.dataset.forAction !== action;
    });
    if (reason) reason.required = action === "hide";
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches && target.matches("input[type=checkbox][form=selected-posts]")) showCount();
    if (target.form && target.form === panel() && target.name === "action") showFields();
  });
  document.addEventListener("folkmoot:replaced", function () {
    showCount();
    showFields();
  });
  showCount();
  showFields();
})();
