// TcpListener: one listening socket (SO_REUSEPORT) on one loop, accepting into Connections.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "duplex/net/event_loop.hpp"
#include "duplex/net/server.hpp"
#include "duplex/util/result.hpp"
#include "socket_address.hpp"

namespace duplex::net::detail {

class TcpListener final : public IoHandler {
 public:
  // Binds and listens (not yet watched). The error names the address and the cause.
  static Result<std::unique_ptr<TcpListener>> open(const SocketAddress& address, int backlog);
  ~TcpListener();

  std::uint16_t port() const;
  // On the loop's thread: start accepting into connections of `server`.
  void start(EventLoop& loop, const Server::Impl& server);
  // Closes the socket: no more accepts.
  void stop();
  void on_io(std::uint32_t epoll_events) override;

  explicit TcpListener(int fd) : fd_(fd) {}

 private:
  int fd_ = -1;
  EventLoop* loop_ = nullptr;
  const Server::Impl* server_ = nullptr;
};

// Resolves a host name or literal (blocking getaddrinfo); `passive` for binding.
Result<std::vector<SocketAddress>> resolve(const std::string& host, std::uint16_t port, bool passive);

}  // namespace duplex::net::detail
