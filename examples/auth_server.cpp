// A WebSocket server that authenticates at the upgrade: a token in the query (?token=...) or a
// session cookie, checked before the 101; anyone else gets 401 and never reaches /echo.
//
//   example_auth_server [PORT] [TOKEN]    (default 8080, "let-me-in"; port 0: the kernel picks)
//   then: duplex connect "ws://127.0.0.1:PORT/echo?token=let-me-in"
//     or: duplex connect ws://127.0.0.1:PORT/echo --header "Cookie: session=let-me-in"
#include <cstdio>
#include <cstdlib>
#include <string>

#include "duplex/net/server.hpp"

using namespace duplex;

int main(int argc, char** argv) {
  net::ServerOptions options;
  options.port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8080);
  const std::string token = argc > 2 ? argv[2] : "let-me-in";
  net::Server server(options);

  net::Behavior echo;
  echo.handlers.on_upgrade = [token](const net::UpgradeRequest& request) -> net::UpgradeDecision {
    const bool by_query = request.query_parameter("token") == token;
    const bool by_cookie = request.cookie("session") == std::optional<std::string_view>(token);
    if (!by_query && !by_cookie)
      return net::UpgradeRefusal{.status = 401, .body = "a token (?token=...) or a session cookie, please\n",
                                 .headers = {{"WWW-Authenticate", "Bearer"}}};
    // Remember the client for next time: a browser sends the cookie on its own.
    return net::UpgradeAccept{.headers = {{"Set-Cookie", "session=" + token + "; HttpOnly; SameSite=Strict"}}};
  };
  echo.handlers.on_message = [](net::WebSocket& ws, const ws::Message& message) {
    ws.send(message.type, message.payload);
  };
  server.route("/echo", std::move(echo));

  server.shutdown_on_signals();  // Ctrl-C: every client gets a 1001 close, then we exit
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  std::printf("auth server on port %u\n", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
