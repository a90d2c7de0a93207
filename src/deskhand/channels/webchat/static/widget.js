/*
 * Deskhand web chat widget. A shop adds one tag to its pages:
 *
 *   <script src="https://<deskhand>/widget.js" data-brand="demo" async></script>
 *
 * It defines <deskhand-chat>: a custom element whose shadow root holds all of its markup and
 * styles, so the shop's CSS cannot reach in and the widget's CSS cannot leak out. It talks to
 * Deskhand's public Conversations API: a WebSocket while one can be held, plain HTTP when not.
 * Server text is only ever put into the page as text nodes, never parsed as HTML.
 *
 * Optional attributes on the script tag: data-lang (force the interface language) and
 * data-product-id (the product the page shows; also read from
 * <meta name="deskhand:product-id" content="..."> or any [data-deskhand-product-id]).
 */
(() => {
  "use strict";

  const TAG = "deskhand-chat";
  const script = document.currentScript;
  if (!script || !script.src || !window.customElements || customElements.get(TAG)) return;

  const BASE = new URL(".", script.src).href.replace(/\/$/, "");
  const WS_BASE = BASE.replace(/^http/i, "ws");
  const BRAND = script.getAttribute("data-brand") || "";
  const FORCED_LANG = script.getAttribute("data-lang") || "";
  const SCRIPT_PRODUCT = script.getAttribute("data-product-id") || "";
  const STORE_KEY = `deskhand:${BRAND || "default"}`;
  const SOCKET_REPLY_TIMEOUT_MS = 25000;
  const MAX_BACKOFF_MS = 30000;
  const SVG = "http://www.w3.org/2000/svg";

  const CSS = `
:host { all: initial !important; display: block !important; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  font: 400 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  color: #1d2433; text-align: left; letter-spacing: normal; word-spacing: normal;
  text-transform: none; text-indent: 0; text-shadow: none; white-space: normal;
  -webkit-font-smoothing: antialiased;
}
button, textarea { font: inherit; color: inherit; letter-spacing: inherit; margin: 0; }
a { color: var(--dh-accent-text); text-decoration: underline; text-underline-offset: 2px; }
p { margin: 0; }
p + p { margin-top: 8px; }
ul { margin: 0; padding: 0; list-style: none; }
.sr {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

.launcher {
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  width: 60px; height: 60px; padding: 0; border: 0; border-radius: 50%;
  display: flex; align-items: center; justify-content: center; cursor: pointer;
  background: var(--dh-accent); color: var(--dh-on-accent);
  box-shadow: 0 6px 20px rgba(16, 24, 40, .28);
  transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.left .launcher { right: auto; left: 20px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px;
  padding: 0 6px; border-radius: 11px; border: 2px solid #ffffff;
  background: #c4281c; color: #ffffff; font-size: 12px; font-weight: 700; line-height: 18px;
  text-align: center;
}

.panel {
  position: fixed; bottom: 92px; right: 20px; z-index: 2147483001;
  width: 380px; max-width: calc(100vw - 40px);
  height: 620px; max-height: calc(100vh - 116px);
  display: flex; flex-direction: column; overflow: hidden;
  background: #ffffff; border-radius: 16px;
  box-shadow: 0 12px 48px rgba(16, 24, 40, .28), 0 0 0 1px rgba(16, 24, 40, .06);
}
.left .panel { right: auto; left: 20px; }
.head {
  display: flex; align-items: center; gap: 12px; padding: 14px 12px 14px 18px;
  background: var(--dh-accent); color: var(--dh-on-accent);
}
.head-text { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 17px; font-weight: 650; line-height: 1.25; }
.subtitle { margin: 2px 0 0; font-size: 13px; opacity: .9; }
.close {
  width: 40px; height: 40px; flex: none; border: 0; border-radius: 50%; padding: 0;
  background: transparent; color: inherit; cursor: pointer;
  display: flex; align-items: center; justify-content: center;
}
.close:hover { background: rgba(255, 255, 255, .16); }
.close svg { width: 20px; height: 20px; fill: currentColor; }

.scroller {
  flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 16px 14px 8px;
  background: #f4f5f7;
}
.log { display: flex; flex-direction: column; gap: 12px; }
.msg { display: flex; flex-direction: column; gap: 6px; max-width: 88%; align-self: flex-start; }
.msg.shopper { align-self: flex-end; align-items: flex-end; }
.bubble {
  padding: 9px 13px; border-radius: 16px 16px 16px 4px; background: #ffffff;
  border: 1px solid #e1e4ea; overflow-wrap: anywhere;
}
.shopper .bubble {
  border-radius: 16px 16px 4px 16px; border-color: transparent;
  background: var(--dh-accent); color: var(--dh-on-accent);
}
.shopper .bubble a { color: inherit; }
.meta { font-size: 12px; color: #5b6475; padding: 0 4px; }
.notice {
  align-self: center; max-width: 92%; padding: 8px 12px; border-radius: 10px;
  background: #fdecea; color: #8a1c12; font-size: 14px;
}

.card {
  width: 100%; min-width: 250px; padding: 12px 14px; border-radius: 12px;
  background: #ffffff; border: 1px solid #e1e4ea;
}
.card-head {
  display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: 4px 8px;
}
.card-title { font-weight: 650; white-space: nowrap; }
.card-sub { font-size: 13px; color: #5b6475; margin-top: 2px; }
.pill {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
  background: #eef0f3; color: #3a4252; white-space: nowrap;
}
.items { margin-top: 10px; }
.items li, .shipments li { padding: 8px 0; border-top: 1px solid #eceef2; font-size: 14px; }
.item-line { display: flex; gap: 6px; align-items: baseline; }
.qty { color: #5b6475; flex: none; }
.item-title { font-weight: 600; }
.item-meta { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; align-items: center; }
.variant { color: #5b6475; font-size: 13px; }
.editable {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
  background: var(--dh-accent-soft); color: var(--dh-accent-text); font-weight: 600;
}
.actions, .chips { display: flex; flex-wrap: wrap; gap: 8px; }
.card .actions { margin-top: 4px; padding-top: 12px; border-top: 1px solid #eceef2; }
.btn, .chip {
  display: inline-flex; align-items: center; justify-content: center; min-height: 36px;
  padding: 6px 14px; border-radius: 999px; cursor: pointer; font-size: 14px;
  text-decoration: none; line-height: 1.3;
}
.btn { background: var(--dh-accent); color: var(--dh-on-accent); border: 1px solid transparent; }
.chip { background: #ffffff; color: var(--dh-accent-text); border: 1px solid var(--dh-accent-text); }
.chip:hover { background: var(--dh-accent-soft); }
.btn:hover { filter: brightness(1.08); }
.chip:disabled { opacity: .55; cursor: default; background: #f4f5f7; color: #5b6475; border-color: #b8bec9; }
.chip:disabled:hover { background: #f4f5f7; }
.hub-news .bubble { border-left: 4px solid var(--dh-accent); }
.team .bubble { border-left: 4px solid #2d7d46; background: #f3faf5; }
.author { font-size: 12px; font-weight: 600; color: #2d5a3c; padding: 0 4px; }
.bubble .actions { margin-top: 10px; }
.msg-part { display: flex; flex-direction: column; gap: 6px; }
.sources { font-size: 13px; color: #5b6475; padding: 0 4px; }
.sources ul { display: flex; flex-direction: column; gap: 2px; margin-top: 2px; }

.typing {
  display: flex; align-items: center; gap: 4px; width: max-content; margin-top: 12px;
  padding: 12px 14px; border-radius: 16px 16px 16px 4px;
  background: #ffffff; border: 1px solid #e1e4ea;
}
.dot {
  width: 7px; height: 7px; border-radius: 50%; background: #8a93a3;
  animation: dh-bounce 1.2s infinite ease-in-out;
}
.dot:nth-child(2) { animation-delay: .15s; }
.dot:nth-child(3) { animation-delay: .3s; }
@keyframes dh-bounce {
  0%, 60%, 100% { transform: translateY(0); opacity: .5; }
  30% { transform: translateY(-4px); opacity: 1; }
}
@media (prefers-reduced-motion: reduce) {
  .dot { animation: none; }
  .launcher { transition: none; }
}

.status {
  padding: 6px 14px; font-size: 13px; background: #fff6dc; color: #5c4400;
  border-top: 1px solid #f1e2b5;
}
.composer {
  display: flex; align-items: flex-end; gap: 8px; padding: 10px 10px 10px 14px;
  border-top: 1px solid #e1e4ea; background: #ffffff;
}
.input {
  flex: 1; min-height: 40px; max-height: 120px; resize: none; padding: 9px 12px;
  border: 1px solid #c9ced8; border-radius: 12px; background: #ffffff; color: #1d2433;
  font-size: 15px; line-height: 1.4;
}
.input::placeholder { color: #6b7385; opacity: 1; }
.send {
  width: 40px; height: 40px; flex: none; border: 0; border-radius: 50%; padding: 0;
  display: flex; align-items: center; justify-content: center; cursor: pointer;
  background: var(--dh-accent); color: var(--dh-on-accent);
}
.send svg { width: 20px; height: 20px; fill: currentColor; }

/* Last and specific, so it wins over every part's own box-shadow. */
.root :focus { outline: none; }
.root :focus-visible {
  outline: 2px solid transparent;
  box-shadow: 0 0 0 2px #ffffff, 0 0 0 5px #1d2433;
}
.root .input:focus-visible {
  border-color: var(--dh-accent-text); box-shadow: 0 0 0 1px var(--dh-accent-text);
}

@media (max-width: 480px) {
  .panel, .left .panel {
    top: 0; right: 0; bottom: 0; left: 0; width: 100%; max-width: none;
    height: 100%; max-height: none; border-radius: 0;
  }
  .open .launcher { display: none; }
  .input { font-size: 16px; }
}
`;

  const ICONS = {
    chat:
      "M12 3C6.5 3 2 6.9 2 11.6c0 2.4 1.2 4.6 3.1 6.1L4.3 21l4-2c1.2.4 2.4.6 3.7.6 5.5 0 10-3.9" +
      " 10-8.6S17.5 3 12 3z",
    close:
      "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0" +
      " 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z",
    send: "M3.4 20.4l17.5-7.5a1 1 0 0 0 0-1.8L3.4 3.6a1 1 0 0 0-1.4 1.1L4 11l9 1-9 1-2 6.3a1 1 0 0 0 1.4 1.1z",
  };

  /** Build an element: el("a", {class: "x", href: "..."}, "text", otherNode). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** An http(s) URL as an absolute string, or null for anything else (javascript:, data:). */
  function safeUrl(value) {
    try {
      const url = new URL(String(value), BASE);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function fill(template, params) {
    return String(template).replace(/\{(\w+)\}/g, (all, key) =>
      key in params ? String(params[key]) : all,
    );
  }

  const storage = {
    load() {
      try {
        const value = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
        return value && typeof value.id === "string" && typeof value.token === "string"
          ? { id: value.id, token: value.token }
          : null;
      } catch {
        return null;
      }
    },
    save(value) {
      try {
        localStorage.setItem(STORE_KEY, JSON.stringify(value));
      } catch {
        /* storage blocked: the conversation lasts for this page only */
      }
    },
    clear() {
      try {
        localStorage.removeItem(STORE_KEY);
      } catch {
        /* nothing stored */
      }
    },
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && problem.title) || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, { method = "GET", body, token } = {}) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      mode: "cors",
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  /** The page the shopper is on, within the API's limits. */
  function pageContext() {
    const context = {};
    let url = String(location.href).split("#")[0];
    if (url.length > 2000) url = location.origin + location.pathname;
    if (/^https?:\/\//i.test(url) && url.length <= 2000) context.url = url;
    const title = (document.title || "").trim().slice(0, 300);
    if (title) context.title = title;
    const meta = document.querySelector('meta[name="deskhand:product-id"]');
    const marked = document.querySelector("[data-deskhand-product-id]");
    const product = (
      SCRIPT_PRODUCT ||
      (meta && meta.getAttribute("content")) ||
      (marked && marked.getAttribute("data-deskhand-product-id")) ||
      ""
    )
      .trim()
      .slice(0, 100);
    if (product) context.product_id = product;
    return context;
  }

  class DeskhandChat extends HTMLElement {
    constructor() {
      super();
      this.shadow = this.attachShadow({ mode: "open" });
      this.built = false;
      this.config = null;
      this.uiLang = "en";
      this.conv = null; // {id, token}
      this.isOpen = false;
      this.unread = 0;
      this.busy = 0;
      this.ws = null;
      this.wsReady = false;
      this.wsFailures = 0;
      this.wsDropped = false;
      this.reconnectTimer = 0;
      this.pendingSocket = []; // reply timers of frames sent over the socket, oldest first
      this.actionLabels = new Map();
      this.lastContextUrl = null;
      this.lastHistoryLoad = 0;
      this.phone = window.matchMedia ? window.matchMedia("(max-width: 480px)") : null;
    }

    connectedCallback() {
      if (this.built) {
        this.reconnectNow(); // moved in the page: the socket was closed on the way out
        return;
      }
      this.built = true;
      this.start();
    }

    disconnectedCallback() {
      this.closeSocket();
    }

    async start() {
      this.config = await this.loadConfig();
      if (!this.config) return; // Deskhand unreachable: show nothing rather than a dead widget
      this.uiLang = this.pickLanguage([
        FORCED_LANG,
        document.documentElement.getAttribute("lang"),
        ...(navigator.languages || [navigator.language]),
      ]);
      this.build();
      this.conv = storage.load();
      if (this.conv && (await this.loadHistory())) this.connectSocket();
      window.addEventListener("online", () => this.reconnectNow());
      // Back from the Customer Hub's tab: show what was done there (posted into the chat).
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState !== "visible" || !this.conv) return;
        if (Date.now() - this.lastHistoryLoad < 2000) return;
        this.loadHistory();
      });
    }

    async loadConfig() {
      const query = BRAND ? `?brand=${encodeURIComponent(BRAND)}` : "";
      for (const wait of [0, 1000, 4000]) {
        if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          return await api(`/api/v1/widget/config${query}`);
        } catch (error) {
          if (error instanceof ApiError && error.status < 500) break;
        }
      }
      console.warn("Deskhand: the chat widget could not load its settings from", BASE);
      return null;
    }

    pickLanguage(candidates) {
      const languages = this.config.languages;
      for (const candidate of candidates) {
        if (!candidate) continue;
        const base = String(candidate).toLowerCase().split(/[-_]/)[0];
        if (languages.includes(base)) return base;
      }
      return this.config.default_language;
    }

    /** Interface text in the current language (English when the brand's language has none). */
    t(key, params = {}) {
      const strings = this.config.strings;
      const own = strings[this.uiLang] || {};
      const english = strings.en || {};
      const portal = this.config.portal || {};
      const hub = portal[this.uiLang] || portal.en || "Customer Hub";
      return fill(own[key] || english[key] || key, { brand: this.config.brand.name, hub, ...params });
    }

    // -- one clock: every time in the brand's zone, the zone named ---------------------------

    /** A date and/or time in the brand's time zone, 24-hour like the agent's own text. */
    formatTime(moment, options) {
      const zoned = { ...options, hourCycle: "h23" };
      if (this.config.time_zone) zoned.timeZone = this.config.time_zone;
      try {
        return new Intl.DateTimeFormat(this.locale(), zoned).format(moment);
      } catch {
        return new Intl.DateTimeFormat(this.locale(), options).format(moment);
      }
    }

    /** "18:23 Amsterdam time": a time with the brand's zone named, as the agent says it. */
    inZone(time) {
      const names = this.config.time_zone_names || {};
      const zone = names[this.uiLang] || names.en;
      return zone ? this.t("time_zoned", { time, zone }) : time;
    }

    /** Whether the shopper's browser keeps the brand's time (then short times need no zone). */
    sameZone() {
      try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone === this.config.time_zone;
      } catch {
        return false;
      }
    }

    /** A BCP 47 locale for dates: the browser's own variant of the interface language. */
    locale() {
      const preferred = (navigator.languages || []).find((l) =>
        l.toLowerCase().startsWith(this.uiLang),
      );
      return preferred || this.uiLang;
    }

    // -- the interface ------------------------------------------------------------------

    build() {
      const c = this.config;
      const sheet = "adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype;
      if (sheet) {
        const styles = new CSSStyleSheet();
        styles.replaceSync(CSS);
        this.shadow.adoptedStyleSheets = [styles];
      } else {
        this.shadow.append(el("style", {}, CSS));
      }
      this.root = el("div", { class: `root ${c.position === "left" ? "left" : "right"}` });
      for (const [name, value] of Object.entries({
        "--dh-accent": c.colours.accent,
        "--dh-on-accent": c.colours.on_accent,
        "--dh-accent-text": c.colours.accent_text,
        "--dh-accent-soft": c.colours.accent_soft,
      })) {
        this.root.style.setProperty(name, value);
      }

      this.badge = el("span", { class: "badge", "aria-hidden": "true", hidden: true });
      this.launcher = el(
        "button",
        { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "dh-panel" },
        (this.launcherIcon = icon("chat")),
        this.badge,
      );
      this.launcher.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));

      this.titleEl = el("h2", { class: "title" }, c.brand.name);
      this.subtitleEl = el("p", { class: "subtitle" });
      this.closeButton = el("button", { class: "close", type: "button" }, icon("close"));
      this.closeButton.addEventListener("click", () => this.close());
      const head = el(
        "div",
        { class: "head" },
        el("div", { class: "head-text" }, this.titleEl, this.subtitleEl),
        this.closeButton,
      );

      this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
      this.typingText = el("span", { class: "sr" });
      this.typing = el(
        "div",
        { class: "typing", role: "status", hidden: true },
        this.typingText,
        el("span", { class: "dot", "aria-hidden": "true" }),
        el("span", { class: "dot", "aria-hidden": "true" }),
        el("span", { class: "dot", "aria-hidden": "true" }),
      );
      this.scroller = el("div", { class: "scroller" }, this.log, this.typing);
      this.status = el("div", { class: "status", role: "status", hidden: true });

      this.inputLabel = el("label", { class: "sr", for: "dh-input" });
      this.input = el("textarea", {
        class: "input",
        id: "dh-input",
        rows: "1",
        maxlength: String(c.max_message_chars),
        autocomplete: "off",
      });
      this.sendLabel = el("span", { class: "sr" });
      this.sendButton = el("button", { class: "send", type: "submit" }, icon("send"), this.sendLabel);
      this.form = el("form", { class: "composer" }, this.inputLabel, this.input, this.sendButton);
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.submitText();
      });
      this.input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submitText();
        }
      });
      this.input.addEventListener("input", () => {
        this.fitInput();
        this.shopperTyping();
      });

      this.panel = el(
        "div",
        { class: "panel", id: "dh-panel", role: "dialog", hidden: true },
        head,
        this.scroller,
        this.status,
        this.form,
      );
      this.panel.addEventListener("keydown", (event) => this.trapFocus(event));
      this.root.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && this.isOpen) {
          event.stopPropagation();
          this.close();
        }
      });
      this.root.append(this.launcher, this.panel);
      this.shadow.append(this.root);
      this.greeting = this.greetingMessage();
      this.log.append(this.greeting);
      this.applyLanguage();
    }

    greetingMessage() {
      this.greetingText = el("p", {});
      return el(
        "div",
        { class: "msg agent", "data-greeting": "" },
        el("div", { class: "bubble" }, this.greetingText),
      );
    }

    applyLanguage() {
      const c = this.config;
      this.root.setAttribute("lang", this.uiLang);
      this.panel.setAttribute("aria-label", this.t("dialog_label"));
      this.subtitleEl.textContent = this.t("subtitle");
      this.closeButton.setAttribute("aria-label", this.t("close"));
      this.closeButton.setAttribute("title", this.t("close"));
      this.inputLabel.textContent = this.t("input_label");
      this.input.setAttribute("placeholder", this.t("placeholder"));
      this.sendLabel.textContent = this.t("send");
      this.sendButton.setAttribute("title", this.t("send"));
      this.typingText.textContent = this.t("typing");
      this.greetingText.textContent = c.greeting[this.uiLang] || c.greeting[c.default_language] || "";
      this.greeting.setAttribute("lang", this.uiLang);
      if (!this.status.hidden && this.statusKey) this.status.textContent = this.t(this.statusKey);
      for (const node of this.log.querySelectorAll("[data-page]")) {
        node.textContent = this.t("sent_from", { page: node.getAttribute("data-page") });
      }
      this.updateLauncher();
    }

    setLanguage(lang) {
      if (!lang || lang === this.uiLang || !this.config.languages.includes(lang)) return;
      this.uiLang = lang;
      this.applyLanguage();
    }

    updateLauncher() {
      // The name stays put (aria-expanded says open or closed); the tooltip says what a click does.
      const unread = this.unread > 0 ? ` (${this.t("new_messages", { count: this.unread })})` : "";
      this.launcher.setAttribute("aria-label", this.t("launcher_open") + unread);
      this.launcher.setAttribute("title", this.t(this.isOpen ? "launcher_close" : "launcher_open"));
      this.launcherIcon.replaceWith((this.launcherIcon = icon(this.isOpen ? "close" : "chat")));
      this.launcher.setAttribute("aria-expanded", String(this.isOpen));
      this.badge.textContent = this.unread > 9 ? "9+" : String(this.unread);
      this.badge.hidden = this.unread === 0 || this.isOpen;
    }

    open() {
      this.isOpen = true;
      this.unread = 0;
      this.root.classList.add("open");
      this.panel.hidden = false;
      // A full-screen dialog on a phone (focus is kept inside); beside the page elsewhere.
      if (this.phone && this.phone.matches) this.panel.setAttribute("aria-modal", "true");
      else this.panel.removeAttribute("aria-modal");
      this.updateLauncher();
      this.scrollToEnd();
      this.input.focus();
      if (this.conv && !this.ws) this.connectSocket();
    }

    /** On a phone the open chat covers the page: Tab and Shift+Tab stay inside it. */
    trapFocus(event) {
      if (event.key !== "Tab" || !this.isOpen || !this.phone || !this.phone.matches) return;
      const items = [
        ...this.panel.querySelectorAll("a[href], button:not([disabled]), textarea, [tabindex='0']"),
      ].filter((node) => node.getClientRects().length > 0);
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      const active = this.shadow.activeElement;
      if (event.shiftKey && (active === first || !items.includes(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !items.includes(active))) {
        event.preventDefault();
        first.focus();
      }
    }

    close() {
      this.isOpen = false;
      this.root.classList.remove("open");
      this.panel.hidden = true;
      this.updateLauncher();
      this.launcher.focus();
    }

    fitInput() {
      this.input.style.height = "auto";
      this.input.style.height = `${Math.min(this.input.scrollHeight + 2, 120)}px`;
    }

    scrollToEnd() {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }

    setBusy(delta) {
      this.busy = Math.max(0, this.busy + delta);
      this.typing.hidden = this.busy === 0 && !this.teamTyping;
      if (this.busy) this.scrollToEnd();
    }

    /** A team member types in the helpdesk inbox: the same dots, until they stop or send. */
    setTeamTyping(typing) {
      this.teamTyping = typing;
      clearTimeout(this.teamTypingTimer);
      if (typing) this.teamTypingTimer = setTimeout(() => this.setTeamTyping(false), 8000);
      this.typing.hidden = this.busy === 0 && !this.teamTyping;
      if (typing) this.scrollToEnd();
    }

    /** Tell the team's inbox the shopper is typing (over the socket only; never a message). */
    shopperTyping() {
      if (!this.wsReady || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      const typing = this.input.value.trim() !== "";
      clearTimeout(this.typingStopTimer);
      if (typing) this.typingStopTimer = setTimeout(() => this.sendTypingFrame(false), 4000);
      this.sendTypingFrame(typing);
    }

    sendTypingFrame(typing) {
      if (typing === Boolean(this.typingSent)) return;
      this.typingSent = typing;
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ typing }));
    }

    setStatus(key) {
      this.statusKey = key;
      this.status.hidden = !key;
      this.status.textContent = key ? this.t(key) : "";
    }

    // -- rendering ------------------------------------------------------------------------

    timeOf(iso) {
      const moment = new Date(iso);
      if (Number.isNaN(moment.getTime())) return null;
      const day = { dateStyle: "short" };
      const today = this.formatTime(new Date(), day) === this.formatTime(moment, day);
      const options = today ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" };
      const shown = this.formatTime(moment, options);
      const full = this.inZone(this.formatTime(moment, { dateStyle: "full", timeStyle: "short" }));
      return el(
        "time",
        { datetime: moment.toISOString(), title: full },
        this.sameZone() ? shown : this.inZone(shown),
      );
    }

    dayOf(isoDate) {
      const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(isoDate || ""));
      if (!match) return String(isoDate || "");
      const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      return new Intl.DateTimeFormat(this.locale(), {
        weekday: "short",
        day: "numeric",
        month: "short",
      }).format(day);
    }

    /** A link that opens in a new tab; plain text when the URL is not http(s). */
    link(label, url, className) {
      const href = safeUrl(url);
      if (!href) return el("span", {}, label);
      return el(
        "a",
        { href, target: "_blank", rel: "noopener noreferrer", class: className || null },
        label,
        el("span", { class: "sr" }, ` ${this.t("new_tab")}`),
      );
    }

    /** The markdown subset: paragraphs, line breaks, **bold**, [label](url) and bare URLs. */
    markdown(text) {
      const fragment = document.createDocumentFragment();
      for (const paragraph of String(text || "").split(/\n{2,}/)) {
        if (!paragraph.trim()) continue;
        const p = el("p", {});
        paragraph.split("\n").forEach((line, index) => {
          if (index) p.append(el("br", {}));
          this.inline(line, p, true);
        });
        fragment.append(p);
      }
      return fragment;
    }

    inline(text, parent, allowBold) {
      const pattern =
        /\*\*([^*]+?)\*\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)'])/gi;
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        if (match.index > last) parent.append(text.slice(last, match.index));
        if (match[1] !== undefined) {
          if (allowBold) {
            const strong = el("strong", {});
            this.inline(match[1], strong, false);
            parent.append(strong);
          } else {
            parent.append(match[0]);
          }
        } else if (match[2] !== undefined) {
          parent.append(this.link(match[2], match[3]));
        } else {
          parent.append(this.link(match[4], match[4]));
        }
        last = match.index + match[0].length;
      }
      if (last < text.length) parent.append(text.slice(last));
    }

    chip(button) {
      this.actionLabels.set(button.action, button.label);
      const node = el("button", { class: "chip", type: "button" }, button.label);
      node.addEventListener("click", () => {
        if (node.disabled) return;
        // Answered: this message's buttons no longer apply (the server refuses them too).
        const message = node.closest(".msg");
        for (const chip of message ? message.querySelectorAll("button.chip") : [node]) {
          this.retireChip(chip);
        }
        this.sendAction(button.action, button.label);
      });
      return node;
    }

    retireChip(chip) {
      chip.disabled = true;
      chip.setAttribute("aria-disabled", "true");
      chip.setAttribute("title", this.t("button_retired"));
    }

    /** Only the newest agent message's buttons still apply: grey out every older one. */
    retireOldButtons() {
      const agents = this.log.querySelectorAll(".msg.agent[data-id]");
      const latest = agents.length ? agents[agents.length - 1] : null;
      for (const chip of this.log.querySelectorAll("button.chip")) {
        if (!latest || !latest.contains(chip)) this.retireChip(chip);
      }
    }

    statusLabel(kind, status) {
      const key = `${kind}_status_${status}`;
      const label = this.t(key);
      return label === key ? String(status).replace(/_/g, " ") : label;
    }

    orderCard(block) {
      const order = block.order || {};
      const title = this.t("order", { number: order.number });
      const card = el(
        "section",
        { class: "card", "aria-label": title },
        el(
          "div",
          { class: "card-head" },
          el("span", { class: "card-title" }, title),
          el("span", { class: "pill" }, this.statusLabel("order", order.status)),
        ),
      );
      if (order.placed_at) {
        const placed = new Date(order.placed_at);
        if (!Number.isNaN(placed.getTime())) {
          const when = this.inZone(this.formatTime(placed, { dateStyle: "medium", timeStyle: "short" }));
          card.append(el("div", { class: "card-sub" }, this.t("placed", { date: when })));
        }
      }
      const items = order.items || [];
      if (items.length) {
        const list = el("ul", { class: "items" });
        for (const item of items) {
          list.append(
            el(
              "li",
              {},
              el(
                "div",
                { class: "item-line" },
                el("span", { class: "qty" }, `${item.quantity}×`),
                el("span", { class: "item-title" }, item.title),
              ),
              el(
                "div",
                { class: "item-meta" },
                item.variant ? el("span", { class: "variant" }, item.variant) : null,
                el("span", { class: "pill" }, this.statusLabel("item", item.status)),
                item.editable ? el("span", { class: "editable" }, `✎ ${this.t("editable")}`) : null,
              ),
            ),
          );
        }
        card.append(list);
      }
      const shipments = order.shipments || [];
      if (shipments.length) {
        const list = el("ul", { class: "shipments" });
        for (const s of shipments) {
          const line = el(
            "li",
            {},
            el("span", { class: "item-title" }, s.carrier),
            " ",
            el("span", { class: "pill" }, this.statusLabel("shipment", s.status)),
          );
          const meta = el("div", { class: "item-meta" });
          if (s.tracking_url) {
            const tracking = this.link(s.tracking_number || this.t("track"), s.tracking_url);
            tracking.setAttribute("title", this.t("track"));
            meta.append(tracking);
          } else if (s.tracking_number) {
            meta.append(el("span", { class: "variant" }, s.tracking_number));
          }
          if (s.eta && s.status !== "delivered") {
            meta.append(el("span", { class: "variant" }, this.t("eta", { date: this.dayOf(s.eta) })));
          }
          line.append(meta);
          list.append(line);
        }
        card.append(list);
      }
      const actions = block.actions || [];
      if (actions.length) {
        const row = el("div", { class: "actions" });
        for (const action of actions) {
          row.append(action.url ? this.link(action.label, action.url, "btn") : this.chip(action));
        }
        card.append(row);
      }
      return card;
    }

    renderBlock(block) {
      switch (block && block.type) {
        case "text":
          return el("div", { class: "bubble" }, this.markdown(block.text));
        case "sign_in":
          return el(
            "div",
            { class: "bubble" },
            this.markdown(block.text),
            el("div", { class: "actions" }, this.link(this.t("sign_in"), block.url, "btn")),
          );
        case "link":
          return el("div", { class: "actions" }, this.link(block.label, block.url, "btn"));
        case "buttons":
          return el("div", { class: "chips" }, ...(block.buttons || []).map((b) => this.chip(b)));
        case "handoff_prompt":
          return el(
            "div",
            { class: "msg-part" },
            el("div", { class: "bubble" }, this.markdown(block.text)),
            el("div", { class: "chips" }, ...(block.buttons || []).map((b) => this.chip(b))),
          );
        case "order_card":
          return this.orderCard(block);
        case "sources": {
          const list = el("ul", {});
          for (const article of block.articles || []) {
            list.append(el("li", {}, this.link(article.title, article.url)));
          }
          return el("div", { class: "sources" }, el("span", {}, this.t("sources")), list);
        }
        default:
          return block && typeof block.text === "string"
            ? el("div", { class: "bubble" }, this.markdown(block.text))
            : null;
      }
    }

    renderAgent(message) {
      const news = message.meta && message.meta.outcome === "changed_in_hub";
      // A person of the brand's team (the helpdesk inbox): their name, set apart from the agent.
      const author = message.meta && message.meta.author && message.meta.author.name;
      const node = el(
        "div",
        {
          class: author ? "msg agent team" : news ? "msg agent hub-news" : "msg agent",
          lang: message.language || this.uiLang,
          "data-id": message.id,
        },
        author
          ? el("div", { class: "author" }, String(author))
          : el("span", { class: "sr" }, `${this.config.brand.name}:`),
      );
      for (const block of message.blocks || []) {
        const part = this.renderBlock(block);
        if (part) node.append(part);
      }
      const time = this.timeOf(message.created_at);
      if (time) node.append(el("div", { class: "meta" }, time));
      this.log.append(node);
    }

    renderShopper(message) {
      const label = message.text || this.actionLabels.get(message.action) || message.label;
      if (!label) return;
      const node = el(
        "div",
        { class: "msg shopper", "data-id": message.id || null },
        el("span", { class: "sr" }, `${this.t("you")}:`),
        el("div", { class: "bubble" }, this.markdown(label)),
      );
      const meta = el("div", { class: "meta" });
      const time = this.timeOf(message.created_at);
      if (time) meta.append(time);
      const context = message.context;
      if (context && context.url && context.url !== this.lastContextUrl) {
        const page = context.title || context.url.replace(/^https?:\/\/[^/]+/i, "") || "/";
        if (time) meta.append(" · ");
        // Worded again when the chat switches language (applyLanguage).
        meta.append(el("span", { "data-page": page }, this.t("sent_from", { page })));
      }
      if (context && context.url) this.lastContextUrl = context.url;
      node.append(meta);
      this.log.append(node);
    }

    notice(key) {
      this.log.append(el("div", { class: "notice", role: "alert" }, this.t(key)));
      this.scrollToEnd();
    }

    /** Show the agent's replies (from the socket or HTTP) and follow its language. */
    receive(turn) {
      if (turn.conversation) this.setLanguage(turn.conversation.language);
      const shown = new Set(
        [...this.log.querySelectorAll(".agent[data-id]")].map((n) => n.getAttribute("data-id")),
      );
      for (const message of turn.messages || []) {
        if (shown.has(message.id)) continue; // also heard over the socket: show it once
        this.renderAgent(message);
        if (!this.isOpen) this.unread += 1;
      }
      this.retireOldButtons();
      this.updateLauncher();
      this.scrollToEnd();
    }

    /** Render the stored transcript (history after a reload, or after a lost reply). */
    async loadHistory() {
      if (!this.conv) return false;
      let transcript;
      try {
        transcript = await api(`/api/v1/conversations/${encodeURIComponent(this.conv.id)}`, {
          token: this.conv.token,
        });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
          this.forget();
        }
        return false;
      }
      const known = new Set(
        [...this.log.querySelectorAll(".agent[data-id]")].map((n) => n.getAttribute("data-id")),
      );
      this.setLanguage(transcript.conversation.language);
      this.log.setAttribute("aria-busy", "true");
      this.log.replaceChildren(this.greeting);
      this.lastContextUrl = null;
      for (const message of transcript.messages) {
        if (message.role === "agent" || message.role === "team") {
          this.renderAgent(message);
          if (known.size && !known.has(message.id) && !this.isOpen) this.unread += 1;
        } else {
          this.renderShopper(message);
        }
      }
      this.log.removeAttribute("aria-busy");
      this.retireOldButtons();
      this.lastHistoryLoad = Date.now();
      this.updateLauncher();
      this.scrollToEnd();
      return true;
    }

    /** Drop a conversation the server no longer knows (expired, deleted, wrong token). */
    forget() {
      storage.clear();
      this.conv = null;
      this.closeSocket();
      this.log.replaceChildren(this.greeting);
      this.lastContextUrl = null;
    }

    // -- sending --------------------------------------------------------------------------

    submitText() {
      const text = this.input.value.trim();
      if (!text) return;
      if (text.length > this.config.max_message_chars) {
        this.notice("too_long");
        return;
      }
      this.input.value = "";
      this.fitInput();
      clearTimeout(this.typingStopTimer);
      this.typingSent = false; // the message itself ends the typing
      this.send({ text }, { text });
    }

    sendAction(action, label) {
      this.send({ action }, { action, label });
    }

    async send(frame, shown) {
      const context = pageContext();
      const body = Object.keys(context).length ? { ...frame, context } : frame;
      this.renderShopper({ ...shown, context, created_at: new Date().toISOString() });
      this.scrollToEnd();
      this.setBusy(1);
      let viaSocket = false;
      try {
        if (!this.conv) await this.startConversation();
        if (this.wsReady && this.ws && this.ws.readyState === WebSocket.OPEN) {
          viaSocket = true;
          this.ws.send(JSON.stringify(body));
          this.pendingSocket.push(setTimeout(() => this.socketReplyLost(), SOCKET_REPLY_TIMEOUT_MS));
          return;
        }
        await this.postOverHttp(body);
      } catch (error) {
        this.showError(error);
      } finally {
        if (!viaSocket) this.setBusy(-1);
      }
    }

    async startConversation() {
      const body = { channel: "webchat", locale: this.uiLang };
      if (BRAND) body.brand = BRAND;
      const created = await api("/api/v1/conversations", { method: "POST", body });
      this.conv = { id: created.id, token: created.token };
      storage.save(this.conv);
      this.connectSocket();
    }

    async postOverHttp(body, retried = false) {
      const path = `/api/v1/conversations/${encodeURIComponent(this.conv.id)}/messages`;
      try {
        this.receive(await api(path, { method: "POST", body, token: this.conv.token }));
        if (this.statusKey === "reconnecting") this.setStatus(null);
      } catch (error) {
        if (!retried && error instanceof ApiError && (error.status === 401 || error.status === 404)) {
          this.forget(); // the stored conversation is gone: start a new one and say it again
          await this.startConversation();
          await this.postOverHttp(body, true);
          return;
        }
        throw error;
      }
    }

    showError(error) {
      const status = error && error.status;
      if (status === 409) {
        this.notice("button_retired"); // a button a newer reply replaced
        this.retireOldButtons();
        return;
      }
      if (status === 429) this.notice("rate_limited");
      else if (status === 413) this.notice("too_long");
      else if (status >= 500) this.notice("error");
      else if (status) this.notice("error");
      else this.notice("send_failed");
    }

    showProblem(problem) {
      this.showError({ status: (problem && problem.status) || 500 });
    }

    // -- the socket -------------------------------------------------------------------------

    connectSocket() {
      if (!this.conv || this.ws || !("WebSocket" in window)) return;
      clearTimeout(this.reconnectTimer);
      const conv = this.conv;
      let ws;
      try {
        ws = new WebSocket(`${WS_BASE}/api/v1/conversations/${encodeURIComponent(conv.id)}/ws`);
      } catch {
        this.wsFailures += 1;
        this.scheduleReconnect();
        return;
      }
      this.ws = ws;
      let ready = false;
      ws.addEventListener("open", () => ws.send(JSON.stringify({ token: conv.token })));
      ws.addEventListener("message", (event) => {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch {
          return;
        }
        if (frame.type === "ready") {
          ready = true;
          this.wsReady = true;
          this.wsFailures = 0;
          if (this.wsDropped) {
            this.wsDropped = false;
            this.setStatus(null);
            this.loadHistory(); // catch up on whatever arrived while we were away
          }
        } else if (frame.type === "typing") {
          this.typing.hidden = false;
        } else if (frame.type === "team_typing") {
          this.setTeamTyping(Boolean(frame.typing));
        } else if (frame.type === "messages" && frame.pushed) {
          this.setTeamTyping(false);
          this.receive(frame); // said in this conversation elsewhere (another tab, the team)
        } else if (frame.type === "messages") {
          this.settleSocketFrame();
          this.receive(frame);
        } else if (frame.type === "error") {
          this.settleSocketFrame();
          this.showProblem(frame.problem);
        }
      });
      ws.addEventListener("close", (event) => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.wsReady = false;
        const lost = this.pendingSocket.length;
        for (const timer of this.pendingSocket) clearTimeout(timer);
        this.pendingSocket = [];
        if (lost) {
          this.setBusy(-lost);
          this.loadHistory(); // the reply may have been stored: show it from the transcript
        }
        if (event.code === 4401 || event.code === 4404) {
          if (this.conv === conv) this.forget();
          return;
        }
        if (ready) {
          this.wsDropped = true;
          if (this.isOpen) this.setStatus("reconnecting");
        } else {
          this.wsFailures += 1; // never worked (blocked by a proxy?): HTTP carries the messages
        }
        this.scheduleReconnect();
      });
    }

    settleSocketFrame() {
      const timer = this.pendingSocket.shift();
      if (timer !== undefined) {
        clearTimeout(timer);
        this.setBusy(-1);
      }
      this.typing.hidden = this.busy === 0 && !this.teamTyping;
    }

    socketReplyLost() {
      // No answer in time over the socket: read the transcript instead of waiting forever.
      this.pendingSocket.shift();
      this.setBusy(-1);
      this.loadHistory();
    }

    scheduleReconnect() {
      clearTimeout(this.reconnectTimer);
      if (!this.conv) return;
      const step = Math.min(this.wsFailures, 5);
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** step) * (0.5 + Math.random() / 2);
      this.reconnectTimer = setTimeout(() => this.connectSocket(), delay);
    }

    reconnectNow() {
      if (this.conv && !this.ws) this.connectSocket();
    }

    closeSocket() {
      clearTimeout(this.reconnectTimer);
      if (this.ws) {
        const ws = this.ws;
        this.ws = null;
        this.wsReady = false;
        ws.close(1000);
      }
    }
  }

  customElements.define(TAG, DeskhandChat);

  function mount() {
    if (document.querySelector(TAG)) return;
    document.body.append(document.createElement(TAG));
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
