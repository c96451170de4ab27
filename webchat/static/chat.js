// The web chat page: the conversation lives in this page's memory only. No cookie, no storage,
// nothing in the address; the exit button and the Escape key clear the page, ask the server to
// forget the conversation, and replace this page in the history by a neutral one.
(() => {
  "use strict";
  const body = document.body;
  const exitUrl = body.dataset.exit || "about:blank";
  const log = document.getElementById("log");
  const composer = document.getElementById("composer");
  const input = document.getElementById("text");
  const offline = document.getElementById("offline");
  let token = null;
  let leaving = false;

  async function call(path, data) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(data),
      cache: "no-store",
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
    return response.json();
  }

  function relabel(answer) {
    const labels = answer.labels;
    if (!labels) return;
    document.getElementById("exit").textContent = labels.exit;
    document.getElementById("send").textContent = labels.send;
    document.getElementById("input-label").textContent = labels.input;
    document.getElementById("privacy").textContent = labels.privacy;
    document.getElementById("offline-text").textContent = labels.offline;
    input.placeholder = labels.input;
    if (answer.dir) document.documentElement.dir = answer.dir;
  }

  function drawMessage(message) {
    const item = document.createElement("li");
    item.className = "bot";
    item.dataset.id = String(message.id);
    item.dir = message.dir;
    item.lang = message.language;
    const text = document.createElement("p");
    text.textContent = message.text;
    item.appendChild(text);
    if (message.buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const button of message.buttons) {
        const element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.dataset.payload = button.payload;
        element.addEventListener("click", () => say(button.payload, true, button.title));
        row.appendChild(element);
      }
      item.appendChild(row);
    }
    if (message.handoff) {
      const link = document.createElement("p");
      const anchor = document.createElement("a");
      anchor.href = message.handoff.url;
      anchor.textContent = message.handoff.url;
      anchor.rel = "noreferrer";
      link.appendChild(anchor);
      const code = document.createElement("img");
      code.src = message.handoff.qr;
      code.alt = message.handoff.url;
      code.className = "qr";
      item.append(link, code);
    }
    const shown = log.querySelector(`li[data-id="${message.id}"]`);
    if (shown && message.id) shown.replaceWith(item);
    else log.appendChild(item);
  }

  function draw(answer) {
    if (leaving || !answer) return;
    for (const id of answer.deleted || []) {
      const shown = log.querySelector(`li[data-id="${id}"]`);
      if (shown) shown.remove();
    }
    for (const message of answer.messages || []) drawMessage(message);
    relabel(answer);
    offline.hidden = true;
    window.scrollTo(0, document.body.scrollHeight);
  }

  function mine(text) {
    const item = document.createElement("li");
    item.className = "person";
    const paragraph = document.createElement("p");
    paragraph.textContent = text;
    item.appendChild(paragraph);
    log.appendChild(item);
  }

  async function say(content, isButton, shownAs) {
    if (!token || leaving) return;
    if (shownAs) mine(shownAs);
    const data = { token, language: navigator.language.slice(0, 2) };
    if (isButton) data.payload = content;
    else data.text = content;
    try {
      draw(await call("/api/message", data));
    } catch (error) {
      offline.hidden = false;
    }
  }

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    const last = token;
    token = null;
    document.title = "";
    log.textContent = "";
    body.textContent = "";
    if (last) {
      fetch("/api/exit", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: last }),
        keepalive: true,
        cache: "no-store",
        credentials: "omit",
      }).catch(() => {});
    }
    window.location.replace(exitUrl);
  }

  async function poll() {
    if (!token || leaving || document.hidden) return;
    try {
      draw(await call("/api/poll", { token }));
    } catch (error) {
      offline.hidden = false;
    }
  }

  document.getElementById("exit").addEventListener("click", leave);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") leave(event);
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    mine(text);
    say(text, false);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  // A worker's hand-off link carries the language and the association in the fragment: read it,
  // then take it out of the address bar so that nothing of it stays in the history.
  const handoff = /^#(h-[a-z]{2}-[a-z0-9_]{2,20})$/.exec(window.location.hash);
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);

  (async () => {
    try {
      token = (await call("/api/start", {})).token;
      composer.hidden = false;
      await say(handoff ? `/start ${handoff[1]}` : "/start", false);
      setInterval(poll, 4000);
    } catch (error) {
      offline.hidden = false;
    }
  })();
})();
