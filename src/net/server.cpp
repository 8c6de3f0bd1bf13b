#include "duplex/tls/config.hpp"
#include "duplex/net/server.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <stdexcept>

#include "connection.hpp"
#include "duplex/util/byte_reader.hpp"
#include "server_impl.hpp"

namespace duplex::net {

const Route* Server::Impl::find_route(std::string_view path) const {
  auto it = routes.find(path);
  return it == routes.end() ? nullptr : it->second.get();
}

const HttpHandler* Server::Impl::find_http_route(std::string_view path) const {
  auto it = http_routes.find(path);
  return it == http_routes.end() ? nullptr : &it->second;
}

// On the worker's loop: no more accepts, 1001 to every WebSocket, then end the loop once every
// connection is gone or shutdown_timeout has passed.
void Server::Impl::shutdown_loop(Worker& worker) {
  EventLoop& loop = *worker.loop;
  detail::Hub& hub = loop.hub();
  if (worker.listener) worker.listener->stop();
  hub.draining = true;
  std::vector<std::uint64_t> ids;
  hub.for_each_connection([&](detail::Connection& c) { ids.push_back(c.id); });
  for (std::uint64_t id : ids)
    if (detail::Connection* c = hub.find(id)) c->go_away();
  hub.on_empty = [&loop] { loop.stop(); };
  if (hub.connection_count() == 0) {
    loop.stop();
    return;
  }
  loop.run_after(options.shutdown_timeout, [&loop, &hub] {
    std::vector<std::uint64_t> left;
    hub.for_each_connection([&](detail::Connection& c) { left.push_back(c.id); });
    for (std::uint64_t id : left)
      if (detail::Connection* c = hub.find(id)) c->abort("the server shut down before the close completed");
    loop.stop();
  });
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  impl_->options = std::move(options);
  impl_->workers.resize(impl_->options.threads);
  for (auto& worker : impl_->workers) worker.loop = std::make_unique<EventLoop>();
}

Server::~Server() {
  shutdown();
  wait();
  if (impl_->signal_fd >= 0) ::close(impl_->signal_fd);
}

void Server::route(std::string path, Route route) {
  if (impl_->started) throw std::logic_error("Server::route after start()");
  impl_->routes[std::move(path)] = std::make_unique<Route>(std::move(route));
}

void Server::http_route(std::string path, HttpHandler handler) {
  if (impl_->started) throw std::logic_error("Server::http_route after start()");
  impl_->http_routes[std::move(path)] = std::move(handler);
}

Status<> Server::start() {
  if (impl_->started) return Unit{};
  // Fail closed: a TLS server starts only with a config every connection can use.
  if (impl_->options.tls) {
    if (auto checked = tls::check_config(*impl_->options.tls); !checked)
      return fail(Error{1, "ServerOptions::tls: " + checked.error().message});
  }
  auto addresses = detail::resolve(impl_->options.host, impl_->options.port, true);
  if (!addresses) return fail(addresses.error());
  detail::SocketAddress address = addresses->front();
  // Port 0: the first socket gets a port from the kernel, the others join it.
  for (auto& worker : impl_->workers) {
    auto listener = detail::TcpListener::open(address, impl_->options.backlog);
    if (!listener) {
      for (auto& w : impl_->workers) w.listener.reset();
      return fail(listener.error());
    }
    worker.listener = std::move(listener).value();
    if (address.any.sa_family == AF_INET6)
      address.v6.sin6_port = htons(worker.listener->port());
    else
      address.v4.sin_port = htons(worker.listener->port());
  }
  impl_->port = impl_->workers.front().listener->port();
  impl_->started = true;
  // The loops' threads never take SIGINT/SIGTERM: those go to the main thread, or to the
  // signalfd of shutdown_on_signals().
  sigset_t block, previous;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &previous);
  for (auto& worker : impl_->workers) {
    worker.loop->post([&worker, impl = impl_.get()] { worker.listener->start(*worker.loop, *impl); });
    worker.thread = std::thread([&worker] { worker.loop->run(); });
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return Unit{};
}

std::uint16_t Server::port() const { return impl_->port; }

void Server::wait() {
  for (auto& worker : impl_->workers)
    if (worker.thread.joinable()) worker.thread.join();
}

void Server::shutdown() {
  if (!impl_->started || impl_->shutting_down.exchange(true)) return;
  for (auto& worker : impl_->workers)
    worker.loop->post([impl = impl_.get(), &worker] { impl->shutdown_loop(worker); });
}

void Server::shutdown_on_signals() {
  if (impl_->signal_fd >= 0) return;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches the
  // signalfd. Blocked, the default action never runs either: the signalfd gets them.
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  impl_->signal_fd = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (impl_->signal_fd < 0) throw std::runtime_error("signalfd failed");
  EventLoop& loop = *impl_->workers.front().loop;
  loop.post([this, &loop, fd = impl_->signal_fd] {
    loop.watch(fd, readable, [this, fd](std::uint32_t) {
      signalfd_siginfo info;
      while (::read(fd, &info, sizeof info) == sizeof info) {
      }
      shutdown();
    });
  });
}

void Server::publish(std::string_view topic, ws::MessageType type, std::span<const std::uint8_t> data) {
  auto payload = std::make_shared<const std::vector<std::uint8_t>>(data.begin(), data.end());
  auto name = std::make_shared<const std::string>(topic);
  for (auto& worker : impl_->workers) {
    EventLoop* loop = worker.loop.get();
    loop->post([loop, name, type, payload] { loop->hub().publish(*name, type, *payload); });
  }
}

void Server::publish_text(std::string_view topic, std::string_view text) {
  publish(topic, ws::MessageType::text, as_bytes(text));
}

unsigned Server::thread_count() const { return static_cast<unsigned>(impl_->workers.size()); }
EventLoop& Server::loop(unsigned index) { return *impl_->workers.at(index).loop; }

std::size_t Server::connection_count() const {
  std::size_t total = 0;
  for (auto& worker : impl_->workers) total += worker.loop->hub().connection_count();
  return total;
}

}  // namespace duplex::net
