// The guest reply form's anti-bot check: an ALTCHA proof of work, solved in the browser.
// On submit we fetch a fresh signed challenge, find the number n for which
// SHA-256(salt + n) equals the challenge, put the solution in the hidden `altcha` field and
// submit again. No third-party service is involved.
(function () {
  "use strict";

  const BATCH = 500;

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function solve(challenge) {
    const encoder = new TextEncoder();
    const algorithm = challenge.algorithm;
    for (let start = 0; start <= challenge.maxNumber; start += BATCH) {
      const end = Math.min(start + BATCH, challenge.maxNumber + 1);
      const tries = [];
      for (let n = start; n < end; n++) {
        tries.push(crypto.subtle.digest(algorithm, encoder.encode(challenge.salt + n)));
      }
      const hashes = await Promise.all(tries);
      const found = hashes.findIndex((hash) => hex(hash) === challenge.challenge);
      if (found !== -1) return start + found;
    }
    return null;
  }

  async function check(form, field, status) {
    if (!window.crypto || !crypto.subtle) {
      status.textContent = "Your browser cannot run the anti-bot check here. Sign in to post.";
      return false;
    }
    status.textContent = "Checking you are not a robot…";
    const response = await fetch(field.dataset.guestPow, { credentials: "same-origin" });
    const challenge = await response.json();
    const number = await solve(challenge);
    if (number === null) {
      status.textContent = "The anti-bot check failed. Please submit again.";
      return false;
    }
    field.value = btoa(JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: number,
      salt: challenge.salt,
      signature: challenge.signature,
    }));
    status.textContent = "Check passed. Sending your reply…";
    return true;
  }

  function install(field) {
    const form = field.form;
    const status = form.querySelector(".guest-pow-status");
    let running = false;
    form.addEventListener("submit", async (event) => {
      if (field.value) return; // solved: let the submission through
      event.preventDefault();
      if (running) return;
      running = true;
      try {
        if (await check(form, field, status)) form.requestSubmit();
      } catch (error) {
        status.textContent = "The anti-bot check could not run. Please submit again.";
      } finally {
        running = false;
      }
    });
  }

  document.querySelectorAll("input[data-guest-pow]").forEach(install);
})();
