// Server::Impl: what the loops of a server share (read-only once started) and what each owns.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "duplex/net/server.hpp"
#include "hub.hpp"
#include "tcp_listener.hpp"

namespace duplex::net {

struct Server::Impl {
  ServerOptions options;
  std::unordered_map<std::string, std::unique_ptr<Route>, detail::StringHash, std::equal_to<>> routes;
  std::unordered_map<std::string, HttpHandler, detail::StringHash, std::equal_to<>> http_routes;

  struct Worker {
    std::unique_ptr<EventLoop> loop;
    std::unique_ptr<detail::TcpListener> listener;
    std::thread thread;
  };
  std::vector<Worker> workers;
  std::uint16_t port = 0;
  bool started = false;
  std::atomic<bool> shutting_down{false};
  int signal_fd = -1;

  const Route* find_route(std::string_view path) const;
  const HttpHandler* find_http_route(std::string_view path) const;
  void shutdown_loop(Worker& worker);
};

}  // namespace duplex::net
