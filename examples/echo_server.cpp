// A WebSocket echo server: every message on /echo comes back to its sender.
//
//   example_echo_server [PORT]        then: duplex connect ws://127.0.0.1:PORT/echo
//   (port 0: the kernel picks one, printed at start)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "duplex/net/server.hpp"

using namespace duplex;

int main(int argc, char** argv) {
  net::ServerOptions options;
  options.port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8080);
  net::Server server(options);

  net::Behavior echo;
  echo.handlers.on_message = [](net::WebSocket& ws, const ws::Message& message) {
    ws.send(message.type, message.payload);
  };
  echo.handlers.on_close = [](net::WebSocket& ws, ws::CloseCode code, std::string_view) {
    std::printf("%s left: %s\n", ws.remote_address().c_str(), ws::to_string(code).c_str());
  };
  server.route("/echo", std::move(echo));

  server.http_route("/", [](const http::RequestHead&) {
    net::HttpResponse response;
    response.body = "this server echoes WebSocket messages on /echo\n";
    return response;
  });

  server.shutdown_on_signals();  // Ctrl-C: every client gets a 1001 close, then we exit
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  std::printf("echo server on port %u, %u threads\n", server.port(), server.thread_count());
  std::fflush(stdout);  // a script reading our output learns the port now, not at exit
  server.wait();
  return 0;
}
