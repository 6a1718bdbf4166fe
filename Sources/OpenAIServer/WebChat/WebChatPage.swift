/// The chat page `swiftlet serve` answers at `/`: one self-contained HTML document (no build step,
/// nothing fetched from elsewhere) that talks to this server's own API: `/v1/models` for the model's
/// name and context length, `/v1/chat/completions` streamed for the answers.
enum WebChatPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Swiftlet chat</title>
<style>
  :root { --fg: #1d2330; --muted: #6b7385; --line: #d9dde6; --accent: #e8572a; --bg: #f7f8fa; --bubble: #ffffff; --err: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
         display: grid; grid-template-columns: 280px 1fr; height: 100vh; }
  aside { border-right: 1px solid var(--line); padding: 16px; overflow-y: auto; background: #fff; }
  aside h1 { font-size: 18px; margin: 0 0 4px; color: var(--accent); }
  aside .model { font-size: 13px; color: var(--muted); word-break: break-all; margin-bottom: 16px; }
  label { display: block; font-size: 12px; color: var(--muted); margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; }
  textarea, input { width: 100%; font: inherit; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
  main { display: flex; flex-direction: column; height: 100vh; min-width: 0; }
  #log { flex: 1; overflow-y: auto; padding: 20px; }
  .msg { max-width: 820px; margin: 0 auto 14px; padding: 10px 14px; border-radius: 10px; background: var(--bubble);
         border: 1px solid var(--line); white-space: pre-wrap; word-wrap: break-word; }
  .msg.user { background: #eef3ff; border-color: #cfdcff; }
  .msg .meta { font-size: 12px; color: var(--muted); margin-top: 6px; display: flex; gap: 12px; align-items: center; }
  .msg .meta button { font-size: 12px; padding: 2px 8px; }
  #error { display: none; max-width: 820px; margin: 0 auto 10px; color: var(--err); border: 1px solid var(--err);
           border-radius: 8px; padding: 8px 12px; background: #fff5f4; }
  form { display: flex; gap: 8px; padding: 12px 20px; border-top: 1px solid var(--line); background: #fff; }
  form textarea { flex: 1; height: 64px; resize: vertical; }
  button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 6px 14px; cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  button:disabled { opacity: .5; cursor: default; }
  .buttons { display: flex; flex-direction: column; gap: 6px; }
</style>
</head>
<body>
<aside>
  <h1>Swiftlet</h1>
  <div class="model" id="model">connecting...</div>
  <label for="system">System prompt</label>
  <textarea id="system" rows="4" placeholder="(none)"></textarea>
  <label for="temperature">Temperature</label>
  <input id="temperature" type="number" min="0" max="2" step="0.1" value="0.7">
  <label for="max-tokens">Max tokens</label>
  <input id="max-tokens" type="number" min="1" step="1" value="512">
  <label for="api-key">API key (if the server wants one)</label>
  <input id="api-key" type="password" autocomplete="off">
  <p><button id="clear" type="button">New chat</button></p>
</aside>
<main>
  <div id="log"></div>
  <div id="error" role="alert"></div>
  <form id="form">
    <textarea id="input" placeholder="Message (Enter sends, Shift+Enter is a new line)"></textarea>
    <div class="buttons">
      <button id="send" class="primary" type="submit">Send</button>
      <button id="stop" type="button" disabled>Stop</button>
      <button id="regenerate" type="button" disabled>Regenerate</button>
    </div>
  </form>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const history = [];          // {role, content} of the conversation so far
let model = null, controller = null, conversation = 0;

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}

function showError(text) {
  $("error").textContent = text;
  $("error").style.display = text ? "block" : "none";
}

async function errorText(response) {
  try {
    const body = await response.json();
    return "Error " + response.status + ": " + ((body.error && body.error.message) || JSON.stringify(body));
  } catch (e) {
    return "Error " + response.status + " " + response.statusText;
  }
}

async function loadModel() {
  try {
    const response = await fetch("/v1/models", { headers: headers() });
    if (!response.ok) { $("model").textContent = await errorText(response); return; }
    const card = (await response.json()).data[0];
    model = card.id;
    $("model").textContent = card.id + " \u00b7 context " + card.max_model_len + " tokens";
    $("model").dataset.ready = "1";
  } catch (e) {
    $("model").textContent = "cannot reach the server: " + e;
  }
}

function addMessage(role, text) {
  const div = document.createElement("div");
  div.className = "msg " + role;
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  div.appendChild(body);
  $("log").appendChild(div);
  $("log").scrollTop = $("log").scrollHeight;
  return div;
}

function addMeta(div, text, tokensPerSecond) {
  const meta = document.createElement("div");
  meta.className = "meta";
  const speed = document.createElement("span");
  speed.className = "speed";
  speed.textContent = tokensPerSecond;
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy";
  copy.onclick = async () => {
    try { await navigator.clipboard.writeText(text); } catch (e) {
      const area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
    }
    copy.textContent = "Copied";
  };
  meta.appendChild(speed);
  meta.appendChild(copy);
  div.appendChild(meta);
}

function setBusy(busy) {
  $("send").disabled = busy;
  $("stop").disabled = !busy;
  $("regenerate").disabled = busy || !history.some((m) => m.role === "user");
}

// Streams one answer to the conversation in `history` and appends it.
async function answer() {
  showError("");
  const messages = [];
  const system = $("system").value.trim();
  if (system) messages.push({ role: "system", content: system });
  messages.push(...history);
  const request = {
    model: model || undefined, messages, stream: true, stream_options: { include_usage: true },
    temperature: Number($("temperature").value), max_tokens: Number($("max-tokens").value),
  };
  controller = new AbortController();
  setBusy(true);
  const turn = conversation;  // "New chat" during the stream starts another conversation
  let div = null, text = "", started = performance.now(), firstToken = null, completionTokens = 0;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(), body: JSON.stringify(request), signal: controller.signal,
    });
    if (!response.ok) { showError(await errorText(response)); unsend(); return; }
    div = addMessage("assistant", "");
    const reader = response.body.getReader(), decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        if (!event.startsWith("data: ")) continue;
        const data = event.slice(6);
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        if (chunk.error) { showError("Error: " + chunk.error.message); continue; }
        if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
        for (const choice of chunk.choices || []) {
          const piece = (choice.delta && choice.delta.content) || "";
          if (piece) {
            if (firstToken === null) firstToken = performance.now();
            text += piece;
            div.querySelector(".text").textContent = text;
            $("log").scrollTop = $("log").scrollHeight;
          }
        }
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") { showError("Error: " + e.message); if (!div) unsend(); }
  } finally {
    controller = null;
    if (div && turn === conversation) {
      history.push({ role: "assistant", content: text });
      const seconds = (performance.now() - (firstToken === null ? started : firstToken)) / 1000;
      const rate = completionTokens > 0 && seconds > 0 ? (completionTokens / seconds).toFixed(1) + " tokens/s" : "";
      addMeta(div, text, (completionTokens ? completionTokens + " tokens \u00b7 " : "") + rate);
    }
    setBusy(false);
  }
}

// A refused turn leaves the conversation: its text goes back to the input box to fix and send again.
function unsend() {
  if (!history.length || history[history.length - 1].role !== "user") return;
  $("input").value = history.pop().content;
  const asked = $("log").querySelectorAll(".msg.user");
  if (asked.length) asked[asked.length - 1].remove();
}

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("input").value.trim();
  if (!text || controller) return;
  $("input").value = "";
  history.push({ role: "user", content: text });
  addMessage("user", text);
  answer();
});
$("input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("form").requestSubmit(); }
});
$("stop").addEventListener("click", () => { if (controller) controller.abort(); });
$("regenerate").addEventListener("click", () => {
  if (controller || !history.length) return;
  if (history[history.length - 1].role === "assistant") {
    history.pop();
    const answers = $("log").querySelectorAll(".msg.assistant");
    if (answers.length) answers[answers.length - 1].remove();
  }
  answer();
});
$("clear").addEventListener("click", () => {
  conversation += 1;
  if (controller) controller.abort();
  history.length = 0; $("log").textContent = ""; showError(""); setBusy(false);
});
loadModel();
</script>
</body>
</html>
"""#
}
