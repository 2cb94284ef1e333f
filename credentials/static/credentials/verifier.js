// The offline credential check (templates/credentials/verifier.html): the same steps as
// credentials/verification.py, with WebCrypto Ed25519 and the keys and status list the page
// carries. No request is made.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("verifier-data").textContent);
  const text = JSON.parse(document.getElementById("verifier-messages").textContent);
  const form = document.getElementById("credential-verifier");
  const input = document.getElementById("credential-text");
  const file = document.getElementById("credential-file");
  const out = document.getElementById("credential-result");

  function b64urlBytes(s) {
    if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("base64url");
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }
  function b64urlJson(s) {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b64urlBytes(s)));
  }
  function extractToken(raw) {
    raw = raw.trim().replace(/^\ufeff/, "");
    if (!raw.startsWith("{")) return raw;
    const env = JSON.parse(raw);
    const prefix = "data:application/vc+jwt,";
    if (!env || typeof env.id !== "string" || !env.id.startsWith(prefix)) throw new Error("envelope");
    return env.id.slice(prefix.length);
  }
  async function checked(token) {
    // [outcome, payload]: the signature and issuer checks alone.
    let header, payload, sig, parts;
    try {
      parts = token.split(".");
      if (parts.length !== 3) throw new Error("jws");
      header = b64urlJson(parts[0]);
      payload = b64urlJson(parts[1]);
      sig = b64urlBytes(parts[2]);
      if (header.alg !== "EdDSA") throw new Error("alg");
    } catch (e) {
      return ["signature invalid", null];
    }
    const kid = header.kid;
    const key = data.keys.find((k) => k.id === kid);
    if (typeof kid !== "string" || kid.split("#")[0] !== data.issuer || !key) return ["unknown issuer", payload];
    const publicKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: key.jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    const input = new TextEncoder().encode(parts[0] + "." + parts[1]);
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, sig, input);
    if (!ok) return ["signature invalid", payload];
    const issuer = payload.issuer && typeof payload.issuer === "object" ? payload.issuer.id : payload.issuer;
    if (issuer !== data.issuer) return ["unknown issuer", payload];
    return ["valid", payload];
  }
  async function bitIsSet(encoded, index) {
    if (!encoded.startsWith("u")) throw new Error("multibase");
    const stream = new Blob([b64urlBytes(encoded.slice(1))]).stream().pipeThrough(new DecompressionStream("gzip"));
    const bits = new Uint8Array(await new Response(stream).arrayBuffer());
    if (index < 0 || Math.floor(index / 8) >= bits.length) throw new Error("index");
    return (bits[Math.floor(index / 8)] & (0x80 >> index % 8)) !== 0;
  }
  async function verify(raw) {
    let token;
    try {
      token = extractToken(raw);
    } catch (e) {
      return { outcome: "signature invalid" };
    }
    const [outcome, payload] = await checked(token);
    if (outcome !== "valid") return { outcome, payload };
    const result = { outcome: "valid", payload, statusAsOf: "" };
    const status = payload.credentialStatus;
    if (status && data.statusList) {
      const [listOutcome, list] = await checked(data.statusList);
      if (listOutcome === "valid" && list.id === status.statusListCredential) {
        result.statusAsOf = list.validFrom;
        try {
          if (await bitIsSet(list.credentialSubject.encodedList, parseInt(status.statusListIndex, 10))) {
            result.outcome = "revoked";
            return result;
          }
        } catch (e) {
          return { outcome: "signature invalid", payload };
        }
      }
    }
    const now = new Date();
    if (payload.validUntil && new Date(payload.validUntil) < now) result.outcome = "expired";
    if (!payload.validFrom || new Date(payload.validFrom) > now) result.outcome = "signature invalid";
    return result;
  }
  function show(result) {
    out.replaceChildren();
    const heading = document.createElement("p");
    heading.className = "credential-outcome credential-outcome--" + result.outcome.replace(" ", "-");
    const strong = document.createElement("strong");
    strong.textContent = text[result.outcome];
    heading.dataset.outcome = result.outcome;
    heading.append(strong);
    out.append(heading);
    const p = result.payload;
    if (p && (result.outcome === "valid" || result.outcome === "expired" || result.outcome === "revoked")) {
      const dl = document.createElement("dl");
      const subject = p.credentialSubject || {};
      const rows = [[text.name, subject.name], [text.course, (subject.achievement || {}).name], [text.validUntil, p.validUntil || "—"]];
      for (const [term, value] of rows) {
        const dt = document.createElement("dt");
        dt.textContent = term;
        const dd = document.createElement("dd");
        dd.textContent = value || "";
        dl.append(dt, dd);
      }
      out.append(dl);
      const note = document.createElement("p");
      note.textContent = result.statusAsOf ? text.asOf + " " + result.statusAsOf : text.notChecked;
      out.append(note);
    }
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      show(await verify(input.value));
    } catch (e) {
      out.textContent = text.unsupported;
    }
  });
  file.addEventListener("change", async () => {
    if (file.files.length) {
      input.value = await file.files[0].text();
      form.requestSubmit();
    }
  });
})();
