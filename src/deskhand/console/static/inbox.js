/*
 * The helpdesk inbox's ticket page, live: new messages of the conversation appear without a
 * reload, the shopper's typing shows, the member's typing reaches the shopper's widget, and a
 * reply is sent without leaving the page. Without this script the page still works (forms).
 * Protocol: console/inbox_socket.py.
 */
(() => {
  "use strict";
  const log = document.getElementById("transcript");
  if (!log) return;
  const shopperTyping = document.getElementById("shopper-typing");
  const teamTyping = document.getElementById("team-typing");
  const form = document.getElementById("reply-form");
  const input = document.getElementById("reply-text");
  const TYPING_HOLD_MS = 6000;
  let after = Number(log.dataset.after || "0");
  let ws = null;
  let failures = 0;
  let shopperTimer = null;
  let typingSent = false;
  let typingTimer = null;

  function line(item) {
    if (log.querySelector(`[data-seq="${item.seq}"]`)) return;
    const li = document.createElement("li");
    li.className = `line ${item.role}`;
    li.dataset.seq = String(item.seq);
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = item.who;
    const time = document.createElement("time");
    time.dateTime = item.at;
    const at = new Date(item.at);
    time.textContent = Number.isNaN(at.getTime())
      ? ""
      : at.toISOString().slice(11, 16);
    const text = document.createElement("p");
    text.textContent = item.text;
    li.append(who, " ", time, text);
    log.append(li);
    after = Math.max(after, item.seq);
    if (item.role === "shopper") shopperTyping.hidden = true;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    ws = new WebSocket(`${scheme}://${location.host}${log.dataset.ws}?after=${after}`);
    ws.addEventListener("open", () => { failures = 0; });
    ws.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (frame.type === "ready") {
        log.dataset.live = "true";
      } else if (frame.type === "lines") {
        for (const item of frame.lines || []) line(item);
        const scroller = document.getElementById("transcript-log");
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
      } else if (frame.type === "shopper_typing") {
        shopperTyping.hidden = !frame.typing;
        clearTimeout(shopperTimer);
        if (frame.typing) shopperTimer = setTimeout(() => { shopperTyping.hidden = true; }, TYPING_HOLD_MS);
      } else if (frame.type === "team_typing") {
        teamTyping.hidden = !frame.typing;
        teamTyping.textContent = frame.typing ? `${frame.name} is typing…` : "";
      }
    });
    ws.addEventListener("close", (event) => {
      ws = null;
      delete log.dataset.live;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
      failures += 1;
      setTimeout(connect, Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
    });
  }

  function sendTyping(typing) {
    if (typing === typingSent || !ws || ws.readyState !== WebSocket.OPEN) return;
    typingSent = typing;
    ws.send(JSON.stringify({ typing }));
  }

  if (input) {
    input.addEventListener("input", () => {
      sendTyping(input.value.trim() !== "");
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => sendTyping(false), 4000);
    });
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      if (!ws) return; // no live connection: the plain form post reloads the page
      event.preventDefault();
      const body = new URLSearchParams(new FormData(form));
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const answer = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
        if (!answer.ok) {
          form.submit();
          return;
        }
        input.value = "";
        sendTyping(false);
        // The reply may have assigned the ticket: show the side panel as the server has it.
        const fresh = new DOMParser()
          .parseFromString(await answer.text(), "text/html")
          .querySelector("aside.side");
        const side = document.querySelector("aside.side");
        if (fresh && side) side.replaceWith(document.adoptNode(fresh));
      } finally {
        button.disabled = false;
      }
    });
  }

  connect();
})();
