#include "hub.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "connection.hpp"

namespace duplex::net::detail {

void FdWatch::on_io(std::uint32_t epoll_events) {
  if (removed) return;
  std::uint32_t events = 0;
  if (epoll_events & EPOLLIN) events |= readable;
  if (epoll_events & EPOLLOUT) events |= writable;
  if (epoll_events & (EPOLLERR | EPOLLHUP)) events |= hangup | readable;
  callback(events);
}

Hub::Hub(EventLoop& loop, Clock::time_point now)
    : loop(loop), timers(now), event_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), wake_watch_(event_fd, [this](std::uint32_t) {
        std::uint64_t count;
        while (::read(event_fd, &count, sizeof count) > 0) {
        }
      }) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = static_cast<IoHandler*>(&wake_watch_);
  epoll_ctl(loop.epoll_fd(), EPOLL_CTL_ADD, event_fd, &event);
}

Hub::~Hub() {
  // Connections close their sockets without calling handlers: the loop is going away.
  slots_.clear();
  retired_.clear();
  if (event_fd >= 0) ::close(event_fd);
}

// --- posting ---

void Hub::post(std::function<void()> task) {
  bool wake_needed;
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(task));
    wake_needed = !wake_pending_;
    wake_pending_ = true;
  }
  if (wake_needed) wake();
}

void Hub::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(event_fd, &one, sizeof one);
}

void Hub::run_posted() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(posted_mutex_);
    tasks.swap(posted_);
    wake_pending_ = false;
  }
  for (auto& task : tasks) task();
}

// --- watchers ---

void Hub::watch(int fd, std::uint32_t interest, std::function<void(std::uint32_t)> callback) {
  unwatch(fd);
  auto watch = std::make_unique<FdWatch>(fd, std::move(callback));
  epoll_event event{};
  if (interest & readable) event.events |= EPOLLIN;
  if (interest & writable) event.events |= EPOLLOUT;
  event.data.ptr = static_cast<IoHandler*>(watch.get());
  epoll_ctl(loop.epoll_fd(), EPOLL_CTL_ADD, fd, &event);
  watches_[fd] = std::move(watch);
}

void Hub::unwatch(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  epoll_ctl(loop.epoll_fd(), EPOLL_CTL_DEL, fd, nullptr);
  it->second->removed = true;  // an event for it may already be in this iteration's batch
  removed_watches_.push_back(std::move(it->second));
  watches_.erase(it);
}

// --- user timers ---

TimerId Hub::add_timer(Clock::duration delay, Clock::duration interval, std::function<void()> callback) {
  auto timer = std::make_unique<UserTimer>();
  timer->id = next_timer_id_++;
  timer->interval = interval;
  timer->callback = std::move(callback);
  timer->hub = this;
  timer->fire = [](TimerEntry& entry) {
    auto& timer = static_cast<UserTimer&>(entry);
    Hub& hub = *timer.hub;
    if (timer.interval > Clock::duration::zero()) {
      hub.timers.schedule(timer, hub.loop.now() + timer.interval);
      timer.callback();  // may cancel its own timer: cancel_timer frees it only at the end
      return;            // of the iteration
    }
    auto node = hub.user_timers_.extract(timer.id);
    node.mapped()->callback();
  };
  timers.schedule(*timer, loop.now() + delay);
  const TimerId id = timer->id;
  user_timers_.emplace(id, std::move(timer));
  return id;
}

void Hub::cancel_timer(TimerId id) {
  auto it = user_timers_.find(id);
  if (it == user_timers_.end()) return;
  timers.cancel(*it->second);
  // It may be the repeating timer running right now: free it at the end of the iteration.
  cancelled_timers_.push_back(std::move(it->second));
  user_timers_.erase(it);
}

// --- connections ---

std::span<std::uint8_t> Hub::receive_buffer() {
  if (!receive_buffer_) receive_buffer_ = std::make_unique<std::uint8_t[]>(kReceiveBufferBytes);
  return {receive_buffer_.get(), kReceiveBufferBytes};
}

Connection& Hub::add(std::unique_ptr<Connection> connection) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  ++slot.generation;
  connection->id = (std::uint64_t{slot.generation} << 32) | index;
  slot.connection = std::move(connection);
  live_.fetch_add(1, std::memory_order_relaxed);
  return *slot.connection;
}

Connection* Hub::find(std::uint64_t id) {
  const auto index = static_cast<std::uint32_t>(id);
  if (index >= slots_.size()) return nullptr;
  Slot& slot = slots_[index];
  if (!slot.connection || slot.generation != static_cast<std::uint32_t>(id >> 32)) return nullptr;
  return slot.connection.get();
}

void Hub::retire(Connection& connection) {
  const auto index = static_cast<std::uint32_t>(connection.id);
  if (index >= slots_.size() || slots_[index].connection.get() != &connection) return;
  retired_.push_back(std::move(slots_[index].connection));
  free_slots_.push_back(index);
  live_.fetch_sub(1, std::memory_order_relaxed);
}

void Hub::want_flush(Connection& connection) {
  if (connection.in_flush_list) return;
  connection.in_flush_list = true;
  to_flush_.push_back(&connection);
}

void Hub::want_read(Connection& connection) {
  if (connection.in_read_list) return;
  connection.in_read_list = true;
  to_read_.push_back(&connection);
}

void Hub::end_of_iteration() {
  if (!to_read_.empty()) {
    std::vector<Connection*> reads;
    reads.swap(to_read_);
    for (Connection* c : reads) {
      c->in_read_list = false;
      c->read_available();
    }
  }
  // Connections asking for a flush during these flushes (on_drained sending more) are kept for
  // the next iteration, which then does not wait.
  scratch_.swap(to_flush_);
  for (Connection* c : scratch_) {
    c->in_flush_list = false;
    c->flush();
  }
  scratch_.clear();
  if (!retired_.empty()) {
    for (auto& c : retired_) {
      if (c->in_flush_list) std::erase(to_flush_, c.get());
      if (c->in_read_list) std::erase(to_read_, c.get());
    }
    retired_.clear();
    if (live_.load(std::memory_order_relaxed) == 0 && on_empty) on_empty();
  }
  removed_watches_.clear();
  cancelled_timers_.clear();
}

int Hub::wait_timeout(Clock::time_point now) const {
  if (!to_flush_.empty() || !to_read_.empty()) return 0;
  auto next = timers.time_to_next(now);
  if (!next) return -1;
  // Rounded up to whole milliseconds: waking early would only spin.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next).count();
  return static_cast<int>(std::min<long long>(ms, 60'000));
}

// --- pub/sub ---

void Hub::subscribe(Connection& connection, std::string_view topic) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) it = topics_.emplace(std::string(topic), std::unordered_set<Connection*>{}).first;
  if (it->second.insert(&connection).second) ++connection.topic_count;
}

void Hub::unsubscribe(Connection& connection, std::string_view topic) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  if (it->second.erase(&connection)) --connection.topic_count;
  if (it->second.empty()) topics_.erase(it);
}

void Hub::unsubscribe_all(Connection& connection) {
  for (auto it = topics_.begin(); it != topics_.end() && connection.topic_count > 0;) {
    if (it->second.erase(&connection)) --connection.topic_count;
    it = it->second.empty() ? topics_.erase(it) : std::next(it);
  }
}

void Hub::publish(std::string_view topic, ws::MessageType type, std::span<const std::uint8_t> data) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  // Ids, not the set itself: a subscriber's send may, through its handlers, change the
  // subscriptions or end connections; one that ended is then not found and skipped.
  std::vector<std::uint64_t> ids;
  ids.reserve(it->second.size());
  for (Connection* c : it->second) ids.push_back(c->id);
  for (std::uint64_t id : ids)
    if (Connection* c = find(id)) c->send(type, data);
}

}  // namespace duplex::net::detail
