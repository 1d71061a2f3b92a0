// The one way the site's scripts say things in the reader's language. Django's JavaScript
// catalogue (/jsi18n/<version>/<language>.js, loaded before every other script) defines
// window.django; when it is missing (a failed load, the composer's node tests and dev server)
// every string stays the English it is written in: never a blank button. Strings are looked up
// when they are shown, not when a script loads, so a late catalogue still counts.
// The composer's bundle includes this file (frontend/src/i18n.js); the other scripts in this
// folder use window.folkmootI18n, which this file (loaded right after the catalogue) sets.
// Write the English as plain string literals inside the calls (makemessages reads them), and
// placeholders as %(name)s, filled in by interpolate(format, {name: value}).
(function (root) {
  "use strict";

  function catalogue() {
    const django = root.django;
    return django && typeof django.gettext === "function" ? django : null;
  }

  function gettext(text) {
    const django = catalogue();
    return (django && django.gettext(text)) || text;
  }

  function ngettext(singular, plural, count) {
    const django = catalogue();
    return (django && django.ngettext(singular, plural, count)) || (count === 1 ? singular : plural);
  }

  function interpolate(format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  root.folkmootI18n = { gettext: gettext, ngettext: ngettext, interpolate: interpolate };
})(globalThis);
