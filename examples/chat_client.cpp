// A line-based WebSocket client: sends each line typed on stdin, prints each message received.
// With a second argument it logs in by cookie (the session examples/auth_server.cpp expects) and
// prints the cookie the server sets.
//
//   example_chat_client ws://127.0.0.1:8080/echo [SESSION]
#include <unistd.h>

#include <cstdio>
#include <string>

#include "duplex/net/client.hpp"

using namespace duplex;

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s ws://HOST:PORT/PATH [SESSION]\n", argv[0]);
    return 2;
  }
  net::ClientOptions options;
  if (argc == 3) options.headers = {{"Cookie", std::string("session=") + argv[2]}};
  net::EventLoop loop;
  int status = 0;

  net::Behavior behavior;
  // Once connected, stdin: one message per line; the end of input closes the connection.
  std::string pending;
  behavior.handlers.on_open = [&](net::WebSocket& ws) {
    std::printf("connected to %s\n", ws.remote_address().c_str());
    if (auto cookie = ws.response_headers()->get("Set-Cookie")) std::printf("the server set %s\n", cookie->c_str());
    net::ConnectionRef ws_ref = ws.ref();
    loop.watch(STDIN_FILENO, net::readable, [&, ws_ref](std::uint32_t) {
      char buffer[4096];
      const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) {
        loop.unwatch(STDIN_FILENO);
        ws_ref.close();
        return;
      }
      pending.append(buffer, static_cast<std::size_t>(n));
      for (std::size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1))
        ws_ref.send_text(pending.substr(0, end));
    });
  };
  behavior.handlers.on_message = [](net::WebSocket&, const ws::Message& message) {
    std::printf("< %.*s\n", static_cast<int>(message.payload.size()), reinterpret_cast<const char*>(message.payload.data()));
    std::fflush(stdout);
  };
  behavior.handlers.on_error = [&](net::WebSocket&, std::string_view why) {
    std::fprintf(stderr, "error: %.*s\n", static_cast<int>(why.size()), why.data());
    status = 1;
  };
  behavior.handlers.on_close = [&](net::WebSocket&, ws::CloseCode code, std::string_view) {
    std::printf("closed: %s\n", ws::to_string(code).c_str());
    loop.unwatch(STDIN_FILENO);
    loop.stop();
  };
  net::connect(loop, argv[1], std::move(behavior), std::move(options));

  loop.run();
  return status;
}
