// Moderation and reports in place (issue 12). Without this script every tool is a plain form
// or link: it posts, the server redirects back to the topic page with a message. With it, a form
// marked data-in-place posts with fetch (its own CSRF token), and from the page the server
// answers (the same page a reload would show) the parts it changed are swapped in by id: the
// topic's header, notices and tools, the posts acted on, the messages. A link marked
// data-in-place-dialog (delete's confirmation, a report) opens its server-rendered form in a
// <dialog>, and a form error comes back into it. Anything unexpected (network, a fault page, an
// answer that is neither) falls back to the plain form or link, so nothing is lost.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) return;
  const REGIONS = ["topic-header", "topic-notices", "topic-tools"];
  const FORMS = "#content form.confirm-form, #content form.report-form";
  let busy = false;
  let dialog = null;
  let origin = null; // the post article (or the tools) a dialog was opened from
  let originPost = null; // and the post it is about

  const announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.append(announcer);

  function announce(text) {
    announcer.textContent = "";
    // A new text in a region that already exists is what screen readers announce.
    setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function isThisTopicPage(response, page) {
    return (
      new URL(response.url).pathname === window.location.pathname &&
      page.querySelector(".posts") !== null
    );
  }

  function adopt(node) {
    // Scripts of the answer are already running on this page: never a second time.
    const copy = document.importNode(node, true);
    copy.querySelectorAll("script").forEach(function (script) {
      script.remove();
    });
    return copy;
  }

  function articleOf(postId, root) {
    return (root || document).querySelector('article[data-post-id="' + postId + '"]');
  }

  // --- the page the server answered, swapped in ------------------------------------------

  function swapMessages(page) {
    const main = document.getElementById("content");
    const old = main.querySelector(":scope > .messages");
    const fresh = page.querySelector("#content > .messages");
    if (old) old.remove();
    if (!fresh) return "";
    const node = adopt(fresh);
    node.removeAttribute("role"); // the announcer speaks it once
    node.tabIndex = -1;
    main.prepend(node);
    return node.textContent.trim().replace(/\s+/g, " ");
  }

  function swap(page, postIds, anchor, action) {
    const anchorId = anchor && (anchor.id || anchor.dataset.postId);
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const swapped = [];
    REGIONS.forEach(function (id) {
      const old = document.getElementById(id);
      const fresh = page.getElementById(id);
      if (old && fresh) old.replaceWith(adopt(fresh));
      else if (old) old.remove();
    });
    postIds.forEach(function (postId) {
      const old = articleOf(postId);
      const fresh = articleOf(postId, page);
      if (!old || !fresh) return;
      const node = adopt(fresh);
      old.replaceWith(node);
      swapped.push(node);
    });
    const message = swapMessages(page);
    // The part acted on stays where it was on the screen, whatever changed above it.
    const moved = anchorId && (document.getElementById(anchorId) || articleOf(anchorId));
    if (moved) window.scrollBy(0, moved.getBoundingClientRect().top - before);
    document.dispatchEvent(new CustomEvent("folkmoot:replaced", { detail: swapped }));
    if (swapped.length) {
      document.dispatchEvent(new CustomEvent("folkmoot:posts-added", { detail: swapped }));
    }
    focusAfter(action, swapped);
    if (message) announce(message);
  }

  function focusable(element) {
    if (!element) return false;
    element.focus({ preventScroll: true });
    return document.activeElement === element;
  }

  function focusAfter(action, swapped) {
    // The same tool again (Lock became Unlock), else the undo in the post's place, else the
    // post itself, else the message.
    const same = document.querySelector('form[action="' + action + '"] [type=submit]');
    if (focusable(same)) return;
    const first = swapped[0];
    if (first && focusable(first.querySelector(".hidden-notice [type=submit]"))) return;
    if (first) {
      first.tabIndex = -1;
      if (focusable(first)) return;
    }
    focusable(document.querySelector("#content > .messages"));
  }

  // --- the dialog --------------------------------------------------------------------------

  function theDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "in-place-dialog";
    dialog.setAttribute("aria-labelledby", "in-place-dialog-title");
    dialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-dismiss]")) {
        event.preventDefault();
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () {
      dialog.replaceChildren();
    });
    document.body.append(dialog);
    return dialog;
  }

  function openDialog(page, url) {
    const form = page.querySelector(FORMS);
    const content = form.closest("#content");
    const box = theDialog();
    box.replaceChildren();
    Array.prototype.forEach.call(content.children, function (child) {
      if (child.matches("nav.breadcrumbs, .messages")) return;
      box.append(adopt(child));
    });
    const heading = box.querySelector("h1");
    if (heading) heading.id = "in-place-dialog-title";
    const inside = box.querySelector("form.confirm-form, form.report-form");
    inside.setAttribute("action", url); // it posted to its own page
    if (!box.open) box.showModal();
    const field = inside.querySelector(
      "[aria-invalid=true], .errorlist + input, input:not([type=hidden]), textarea, select",
    );
    (field || inside.querySelector("[type=submit]")).focus();
  }

  function closeDialog() {
    if (dialog && dialog.open) dialog.close();
  }

  // --- forms and links -----------------------------------------------------------------------

  function actionOf(form) {
    // Not form.action: the selected posts' form has a field named "action".
    return new URL(form.getAttribute("action") || "", window.location.href).href;
  }

  function placeOf(element) {
    return element.closest("article[data-post-id]") || element.closest("[id]");
  }

  function postOf(element) {
    const article = element.closest("article[data-post-id]");
    return element.dataset.postId || (article && article.dataset.postId) || null;
  }

  async function submitInPlace(form, data) {
    const inDialog = dialog !== null && dialog.contains(form);
    const anchor = inDialog ? origin : placeOf(form);
    // The posts acted on: the one the form (or the dialog's link) is in, and those ticked.
    const ids = data.getAll("post");
    const about = inDialog ? originPost : postOf(form);
    if (about) ids.push(about);
    const url = actionOf(form);
    const action = new URL(url).pathname;
    const response = await fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    const page = parse(await response.text());
    if (response.ok && isThisTopicPage(response, page)) {
      closeDialog();
      swap(page, ids, anchor, action);
      return true;
    }
    if (response.ok && !page.querySelector(FORMS) && page.querySelector(".posts")) {
      window.location.assign(response.url); // done, and its answer is another page
      return true;
    }
    const formError = response.status >= 400 && response.status < 500;
    if ((response.ok || formError) && page.querySelector(FORMS)) {
      if (!inDialog) {
        origin = anchor;
        originPost = about;
      }
      openDialog(page, response.url);
      return true;
    }
    return false;
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const inDialog = dialog !== null && dialog.contains(form);
    if (!(form instanceof HTMLFormElement) || !(inDialog || form.hasAttribute("data-in-place"))) {
      return;
    }
    const data = new FormData(form);
    const only = form.getAttribute("data-in-place");
    if (only && only.split(" ").indexOf(String(data.get("action"))) === -1) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    submitInPlace(form, data)
      .catch(function () {
        return false;
      })
      .then(function (done) {
        busy = false;
        form.removeAttribute("aria-busy");
        if (!done) form.submit(); // the plain form: the server answers as without this script
      });
  });

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-in-place-dialog]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text().then(function (html) {
          const page = parse(html);
          if (!response.ok || !page.querySelector(FORMS)) return false;
          origin = placeOf(link);
          originPost = postOf(link);
          openDialog(page, response.url);
          return true;
        });
      })
      .catch(function () {
        return false;
      })
      .then(function (done) {
        busy = false;
        if (!done) window.location.assign(link.href);
      });
  });
})();
