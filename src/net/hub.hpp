// Hub: the state one EventLoop keeps for the runtime. The posted-task queue, fd watchers,
// timers, the loop's receive buffer (shared by all its connections), the registry that turns a
// ConnectionRef's id into a connection, the lists of connections to flush or read at the end of
// the iteration, and the pub/sub topics.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "duplex/net/event_loop.hpp"
#include "duplex/ws/opcode.hpp"
#include "timer_wheel.hpp"

namespace duplex::net::detail {

class Connection;

// An epoll registration for a callback (watch()) or a plain function (the eventfd, signalfd).
class FdWatch final : public IoHandler {
 public:
  FdWatch(int fd, std::function<void(std::uint32_t)> callback) : fd(fd), callback(std::move(callback)) {}
  void on_io(std::uint32_t epoll_events) override;
  int fd;
  std::function<void(std::uint32_t)> callback;
  bool removed = false;
};

struct UserTimer : TimerEntry {
  TimerId id = 0;
  Clock::duration interval{};  // zero: one-shot
  std::function<void()> callback;
  class Hub* hub = nullptr;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Hub {
 public:
  // 128 KiB: a few full TCP windows per read, once per loop rather than per connection.
  static constexpr std::size_t kReceiveBufferBytes = 128 * 1024;

  Hub(EventLoop& loop, Clock::time_point now);
  ~Hub();

  EventLoop& loop;
  TimerWheel timers;

  // --- posting (any thread) ---
  void post(std::function<void()> task);
  void run_posted();
  // --- stop ---
  std::atomic<bool> stop_requested{false};
  std::atomic<std::thread::id> thread{};
  void wake();

  // --- watchers ---
  void watch(int fd, std::uint32_t interest, std::function<void(std::uint32_t)> callback);
  void unwatch(int fd);

  // --- user timers ---
  TimerId add_timer(Clock::duration delay, Clock::duration interval, std::function<void()> callback);
  void cancel_timer(TimerId id);

  // --- connections ---
  std::span<std::uint8_t> receive_buffer();
  Connection& add(std::unique_ptr<Connection> connection);
  Connection* find(std::uint64_t id);
  // Drops the id at once (refs go stale); frees the object at the end of the iteration, so
  // events already returned by epoll_wait for it find it marked finished.
  void retire(Connection& connection);
  void want_flush(Connection& connection);
  void want_read(Connection& connection);
  std::size_t connection_count() const { return live_.load(std::memory_order_relaxed); }
  template <typename F>
  void for_each_connection(F&& f) {
    for (auto& slot : slots_)
      if (slot.connection) f(*slot.connection);
  }
  // Graceful shutdown: connections do not linger for the peer's FIN, and on_empty runs when
  // the last one is retired.
  bool draining = false;
  std::function<void()> on_empty;

  // --- pub/sub ---
  void subscribe(Connection& connection, std::string_view topic);
  void unsubscribe(Connection& connection, std::string_view topic);
  void unsubscribe_all(Connection& connection);
  void publish(std::string_view topic, ws::MessageType type, std::span<const std::uint8_t> data);

  // The end of an iteration: reads capped earlier, then one flush per connection with output,
  // then the connections that ended are freed.
  void end_of_iteration();
  // epoll_wait's timeout in ms: 0 with work pending, -1 with nothing to wait for.
  int wait_timeout(Clock::time_point now) const;

  int event_fd = -1;

 private:
  struct Slot {
    std::unique_ptr<Connection> connection;
    std::uint32_t generation = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::atomic<std::size_t> live_{0};
  std::vector<std::unique_ptr<Connection>> retired_;
  std::vector<Connection*> to_flush_;
  std::vector<Connection*> to_read_;
  std::vector<Connection*> scratch_;
  std::unique_ptr<std::uint8_t[]> receive_buffer_;

  std::mutex posted_mutex_;
  std::vector<std::function<void()>> posted_;
  bool wake_pending_ = false;  // guarded by posted_mutex_
  FdWatch wake_watch_;

  std::unordered_map<int, std::unique_ptr<FdWatch>> watches_;
  std::vector<std::unique_ptr<FdWatch>> removed_watches_;
  std::vector<std::unique_ptr<UserTimer>> cancelled_timers_;
  std::unordered_map<TimerId, std::unique_ptr<UserTimer>> user_timers_;
  TimerId next_timer_id_ = 1;

  std::unordered_map<std::string, std::unordered_set<Connection*>, StringHash, std::equal_to<>> topics_;
};

}  // namespace duplex::net::detail
