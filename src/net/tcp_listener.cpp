#include "tcp_listener.hpp"

#include <netdb.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "connection.hpp"
#include "hub.hpp"
#include "server_impl.hpp"

namespace duplex::net::detail {

Result<std::unique_ptr<TcpListener>> TcpListener::open(const SocketAddress& address, int backlog) {
  const int fd = ::socket(address.any.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(Error{errno, "cannot create a socket: " + error_text(errno)});
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // One listening socket per loop on the same port; the kernel spreads connections over them.
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (::bind(fd, &address.any, address.length()) != 0 || ::listen(fd, backlog) != 0) {
    const int error = errno;
    ::close(fd);
    return fail(Error{error, "cannot listen on " + address.to_string() + ": " + error_text(error)});
  }
  return std::make_unique<TcpListener>(fd);
}

TcpListener::~TcpListener() { stop(); }

std::uint16_t TcpListener::port() const {
  SocketAddress bound{};
  socklen_t length = sizeof bound;
  if (fd_ < 0 || getsockname(fd_, &bound.any, &length) != 0) return 0;
  return ntohs(bound.any.sa_family == AF_INET6 ? bound.v6.sin6_port : bound.v4.sin_port);
}

void TcpListener::start(EventLoop& loop, const Server::Impl& server) {
  loop_ = &loop;
  server_ = &server;
  epoll_event event{};
  event.events = EPOLLIN;  // level-triggered: accept a batch, come back next iteration
  event.data.ptr = static_cast<IoHandler*>(this);
  epoll_ctl(loop.epoll_fd(), EPOLL_CTL_ADD, fd_, &event);
}

void TcpListener::stop() {
  if (fd_ < 0) return;
  ::close(fd_);  // also leaves the epoll set
  fd_ = -1;
}

void TcpListener::on_io(std::uint32_t) {
  // A bounded batch per iteration, so a connection storm cannot starve the open connections.
  for (int i = 0; i < 64 && fd_ >= 0; ++i) {
    SocketAddress remote{};
    socklen_t length = sizeof remote;
    const int fd = ::accept4(fd_, &remote.any, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // EAGAIN: drained. EMFILE/ENFILE/ENOBUFS: out of resources; level-triggered epoll retries.
      return;
    }
    // Fail closed: a connection of a TLS server that cannot get its TLS state is closed at once,
    // never served in clear (start() checked the config, so this is a resource failure).
    std::unique_ptr<tls::Connection> tls;
    if (server_->options.tls) {
      auto made = tls::Connection::server(server_->options.tls, unix_now());
      if (!made) {
        ::close(fd);
        continue;
      }
      tls = std::make_unique<tls::Connection>(std::move(*made));
    }
    set_no_delay(fd);
    Hub& hub = loop_->hub();
    Connection& connection = hub.add(std::make_unique<Connection>(hub, fd, remote, *server_, std::move(tls)));
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = static_cast<IoHandler*>(&connection);
    epoll_ctl(loop_->epoll_fd(), EPOLL_CTL_ADD, fd, &event);
  }
}

Result<std::vector<SocketAddress>> resolve(const std::string& host, std::uint16_t port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  const int status = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list);
  if (status != 0) return fail(Error{status, "cannot resolve " + host + ": " + gai_strerror(status)});
  std::vector<SocketAddress> out;
  for (addrinfo* a = list; a; a = a->ai_next)
    if (a->ai_family == AF_INET || a->ai_family == AF_INET6) out.push_back(make_address(a->ai_addr, a->ai_addrlen));
  freeaddrinfo(list);
  if (out.empty()) return fail(Error{EAI_NONAME, "cannot resolve " + host + ": no IPv4 or IPv6 address"});
  return out;
}

}  // namespace duplex::net::detail
