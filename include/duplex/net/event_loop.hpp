// EventLoop: one epoll loop per thread, the only place duplex touches sockets, clocks and threads.
//
//   net::EventLoop loop;
//   loop.watch(STDIN_FILENO, net::readable, [&](std::uint32_t) { /* read a line */ });
//   loop.run_every(std::chrono::seconds(1), [] { /* tick */ });
//   std::thread other([&] { loop.post([] { /* runs on the loop's thread */ }); loop.stop(); });
//   loop.run();  // until stop()
//
// Readiness: fds given to watch() are level-triggered (simple for stdin and pipes); the runtime's
// own sockets are edge-triggered (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET registered once, so no
// epoll_ctl per write), read until EAGAIN with a per-iteration cap for fairness.
// One iteration: epoll_wait → fd callbacks → posted tasks → expired timers → flush every
// connection with pending output once (batched writes) → free connections that ended.
// Everything but post(), stop() and in_loop_thread() must be called on the loop's thread (or
// before run() starts).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace duplex::net {

namespace detail {
class Hub;
}

using Clock = std::chrono::steady_clock;

// Interest bits for watch(), and the readiness bits handed to its callback.
inline constexpr std::uint32_t readable = 1;
inline constexpr std::uint32_t writable = 2;
inline constexpr std::uint32_t hangup = 4;  // error or hang-up (reported with readable)

// Names a timer for cancel_timer(); 0 is never a valid id.
using TimerId = std::uint64_t;

// Something an epoll event is dispatched to (the runtime's connections and listeners).
class IoHandler {
 public:
  virtual void on_io(std::uint32_t epoll_events) = 0;

 protected:
  ~IoHandler() = default;
};

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs until stop(); returns at once if stop() came first. The thread that calls run() is the
  // loop's thread until run() returns.
  void run();
  // Any thread: makes run() return after the current iteration.
  void stop();
  // Any thread: runs `task` on the loop's thread, in order of posting. Wakes the loop (eventfd).
  void post(std::function<void()> task);
  bool in_loop_thread() const;

  // Level-triggered readiness of any fd (stdin, a pipe, a socket the application owns).
  // `interest` is readable and/or writable. The fd stays the caller's to close (unwatch first).
  void watch(int fd, std::uint32_t interest, std::function<void(std::uint32_t events)> callback);
  void unwatch(int fd);

  // Timers, fired on the loop's thread with a few milliseconds' resolution (a hashed timing
  // wheel: O(1) to add and cancel, so 10k+ connections can each hold one).
  TimerId run_after(Clock::duration delay, std::function<void()> callback);
  TimerId run_every(Clock::duration interval, std::function<void()> callback);
  // Cancelling an id that fired (one-shot) or was cancelled does nothing.
  void cancel_timer(TimerId id);

  // The time at the start of the current iteration (cheap; what timers are measured against).
  // Before run(): the time the loop was made.
  Clock::time_point now() const { return now_; }

  // --- for the runtime (src/net) ---
  int epoll_fd() const { return epoll_fd_; }
  detail::Hub& hub() { return *hub_; }

 private:
  void run_iteration();

  int epoll_fd_ = -1;
  Clock::time_point now_;
  std::unique_ptr<detail::Hub> hub_;
};

}  // namespace duplex::net
