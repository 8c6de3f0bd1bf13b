#include "duplex/net/event_loop.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "connection.hpp"
#include "hub.hpp"

namespace duplex::net {

EventLoop::EventLoop() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), now_(Clock::now()) {
  if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1 failed");
  hub_ = std::make_unique<detail::Hub>(*this, now_);
}

EventLoop::~EventLoop() {
  hub_.reset();
  ::close(epoll_fd_);
}

void EventLoop::run() {
  hub_->thread.store(std::this_thread::get_id());
  now_ = Clock::now();
  while (!hub_->stop_requested.load(std::memory_order_acquire)) run_iteration();
  hub_->stop_requested.store(false, std::memory_order_relaxed);
  hub_->thread.store(std::thread::id{});
}

void EventLoop::run_iteration() {
  std::array<epoll_event, 256> events;
  const int timeout = hub_->wait_timeout(Clock::now());
  const int count = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
  now_ = Clock::now();
  for (int i = 0; i < count; ++i) static_cast<IoHandler*>(events[i].data.ptr)->on_io(events[i].events);
  hub_->run_posted();
  hub_->timers.advance(now_);
  hub_->end_of_iteration();
}

void EventLoop::stop() {
  hub_->stop_requested.store(true, std::memory_order_release);
  hub_->wake();
}

void EventLoop::post(std::function<void()> task) { hub_->post(std::move(task)); }

bool EventLoop::in_loop_thread() const { return hub_->thread.load() == std::this_thread::get_id(); }

void EventLoop::watch(int fd, std::uint32_t interest, std::function<void(std::uint32_t)> callback) {
  hub_->watch(fd, interest, std::move(callback));
}

void EventLoop::unwatch(int fd) { hub_->unwatch(fd); }

TimerId EventLoop::run_after(Clock::duration delay, std::function<void()> callback) {
  return hub_->add_timer(delay, Clock::duration::zero(), std::move(callback));
}

TimerId EventLoop::run_every(Clock::duration interval, std::function<void()> callback) {
  if (interval <= Clock::duration::zero()) throw std::invalid_argument("run_every needs a positive interval");
  return hub_->add_timer(interval, interval, std::move(callback));
}

void EventLoop::cancel_timer(TimerId id) { hub_->cancel_timer(id); }

}  // namespace duplex::net
