// The guest reply form's anti-bot check: an ALTCHA proof of work, solved in the browser.
// On submit we fetch a fresh signed challenge, find the number n for which
// SHA-256(salt + n) equals the challenge, put the solution in the hidden `altcha` field and
// submit again. No third-party service is involved. Hashing uses Web Crypto where the page is
// a secure context, and the small SHA-256 below where it is not.
(function () {
  "use strict";
  const { gettext } = window.folkmootI18n; // i18n.js

  const BATCH = 500;

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // SHA-256 in plain JavaScript, for pages served without a secure context (plain HTTP on a
  // LAN name), where browsers hide crypto.subtle. Slower, but the same answer.
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  function sha256(bytes) {
    const length = bytes.length;
    const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    const h = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    const out = new DataView(new ArrayBuffer(32));
    h.forEach((word, i) => out.setUint32(i * 4, word));
    return out.buffer;
  }

  function digest(algorithm, bytes) {
    if (window.crypto && crypto.subtle) return crypto.subtle.digest(algorithm, bytes);
    if (algorithm !== "SHA-256") return Promise.reject(new Error(algorithm + " unsupported"));
    return Promise.resolve(sha256(bytes));
  }

  async function solve(challenge) {
    const encoder = new TextEncoder();
    const algorithm = challenge.algorithm;
    for (let start = 0; start <= challenge.maxNumber; start += BATCH) {
      const end = Math.min(start + BATCH, challenge.maxNumber + 1);
      const tries = [];
      for (let n = start; n < end; n++) {
        tries.push(digest(algorithm, encoder.encode(challenge.salt + n)));
      }
      const hashes = await Promise.all(tries);
      const found = hashes.findIndex((hash) => hex(hash) === challenge.challenge);
      if (found !== -1) return start + found;
    }
    return null;
  }

  async function check(form, field, status) {
    status.textContent = gettext("Checking you are not a robot…");
    const response = await fetch(field.dataset.guestPow, { credentials: "same-origin" });
    const challenge = await response.json();
    // The page may be a copy cached for every anonymous reader: use this browser's own token.
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token && challenge.csrfToken) token.value = challenge.csrfToken;
    const number = await solve(challenge);
    if (number === null) {
      status.textContent = gettext("The anti-bot check failed. Please submit again.");
      return false;
    }
    field.value = btoa(JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: number,
      salt: challenge.salt,
      signature: challenge.signature,
    }));
    status.textContent = gettext("Check passed. Sending your reply…");
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
        status.textContent = gettext("The anti-bot check could not run. Please submit again.");
      } finally {
        running = false;
      }
    });
  }

  window.folkmootGuestPow = { solve, sha256 };
  document.querySelectorAll("input[data-guest-pow]").forEach(install);
})();
