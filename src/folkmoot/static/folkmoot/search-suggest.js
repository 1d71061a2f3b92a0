// Search as you type in the header: a few matching topics under the box, as an ARIA 1.2
// combobox (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Down/Up move through the
// topics, Enter opens the chosen one (or searches, with none chosen), Escape closes the list.
// Without this script the box is a plain GET form to /search/.
(() => {
  "use strict";
  const input = document.getElementById("header-search-input");
  const list = document.getElementById("header-search-list");
  if (!input || !list) return;
  const url = input.dataset.suggestUrl;
  let topics = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    topics = [];
    active = -1;
  }

  function choose(index) {
    const items = list.querySelectorAll("[role=option]");
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(found) {
    topics = found;
    if (!found.length) return close();
    list.replaceChildren(
      ...found.map((topic, i) => {
        const item = document.createElement("li");
        item.id = `header-search-option-${i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = topic.title; // text, never HTML
        const category = document.createElement("small");
        category.textContent = topic.category;
        item.append(category);
        item.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep the focus in the box
          window.location.assign(topic.url);
        });
        return item;
      }),
    );
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  async function lookUp() {
    const text = input.value.trim();
    if (text.length < 2) return close();
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return close(); // rate limited or failing: the form still works
      const data = await response.json();
      if (input.value.trim() === text) show(data.topics || []);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && topics.length) {
      event.preventDefault();
      choose((active + 1) % topics.length);
    } else if (event.key === "ArrowUp" && topics.length) {
      event.preventDefault();
      choose(active <= 0 ? topics.length - 1 : active - 1);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(topics[active].url);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
})();
