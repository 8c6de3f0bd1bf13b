#include "chat_page.hpp"

namespace duplex::tool {
namespace {

// Received messages are inserted with textContent, never innerHTML: anything a room member sends
// is shown as text, so one member cannot run script in another's page.
constexpr std::string_view kChatPage = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self' ws: wss:">
<title>duplex chat</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  header { display: flex; justify-content: space-between; align-items: baseline; }
  #status { font-size: 0.9rem; color: #a60; }
  #status.connected { color: #080; }
  #status.closed { color: #b00; }
  #messages { list-style: none; padding: 0.5rem; margin: 1rem 0; height: 20rem; overflow-y: auto;
              border: 1px solid #ccc; border-radius: 4px; }
  #messages li { padding: 0.15rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  #messages li.note { color: #777; font-style: italic; }
  form { display: flex; gap: 0.5rem; }
  #input { flex: 1; padding: 0.4rem; font: inherit; }
  #send { padding: 0.4rem 1rem; font: inherit; }
</style>
</head>
<body>
<header>
  <h1>duplex chat</h1>
  <span id="status" role="status">connecting</span>
</header>
<ul id="messages" aria-live="polite"></ul>
<form id="form" autocomplete="off">
  <input id="input" aria-label="Message" placeholder="Say something" maxlength="4000" autofocus>
  <button id="send" type="submit" disabled>Send</button>
</form>
<script>
"use strict";
(function () {
  const status = document.getElementById("status");
  const messages = document.getElementById("messages");
  const input = document.getElementById("input");
  const send = document.getElementById("send");

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = kind;
  }

  function append(text, kind) {
    const item = document.createElement("li");
    item.textContent = text;
    if (kind) item.className = kind;
    const atBottom = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 4;
    messages.appendChild(item);
    if (atBottom) messages.scrollTop = messages.scrollHeight;
  }

  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chat";
  const socket = new WebSocket(url);

  socket.addEventListener("open", function () {
    setStatus("connected", "connected");
    send.disabled = false;
  });
  socket.addEventListener("message", function (event) {
    if (typeof event.data === "string") append(event.data);
    else append("[binary message, " + event.data.size + " bytes]", "note");
  });
  socket.addEventListener("close", function (event) {
    send.disabled = true;
    setStatus("closed (" + event.code + (event.reason ? " " + event.reason : "") + ")", "closed");
    append("Disconnected. Reload the page to join again.", "note");
  });

  document.getElementById("form").addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value;
    if (text === "" || socket.readyState !== WebSocket.OPEN) return;
    socket.send(text);
    input.value = "";
    input.focus();
  });
})();
</script>
</body>
</html>
)html";

}  // namespace

std::string_view chat_page_html() { return kChatPage; }

}  // namespace duplex::tool
