#include "duplex/net/event_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using namespace std::chrono_literals;

TEST(EventLoop, StopBeforeRunReturnsAtOnce) {
  EventLoop loop;
  loop.stop();
  loop.run();  // would hang otherwise
  SUCCEED();
}

TEST(EventLoop, PostedTasksRunInOrderOnTheLoopThread) {
  EventLoop loop;
  std::vector<int> seen;
  std::thread::id loop_thread;
  std::thread poster([&] {
    for (int i = 0; i < 100; ++i) loop.post([&, i] { seen.push_back(i); });
    loop.post([&] {
      loop_thread = std::this_thread::get_id();
      EXPECT_TRUE(loop.in_loop_thread());
      loop.stop();
    });
  });
  loop.run();
  poster.join();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
  EXPECT_EQ(loop_thread, std::this_thread::get_id());
}

TEST(EventLoop, PostFromManyThreadsLosesNothing) {
  EventLoop loop;
  std::atomic<int> count{0};
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) loop.post([&] {
          if (count.fetch_add(1) + 1 == kThreads * kEach) loop.stop();
        });
    });
  loop.run();
  for (auto& t : threads) t.join();
  EXPECT_EQ(count.load(), kThreads * kEach);
}

TEST(EventLoop, OneShotTimerFiresOnceAfterItsDelay) {
  EventLoop loop;
  int fired = 0;
  const auto start = Clock::now();
  Clock::time_point fired_at;
  loop.run_after(30ms, [&] {
    ++fired;
    fired_at = Clock::now();
    loop.run_after(20ms, [&] { loop.stop(); });
  });
  loop.run();
  EXPECT_EQ(fired, 1);
  EXPECT_GE(fired_at - start, 30ms);
}

TEST(EventLoop, RepeatingTimerRepeatsUntilCancelled) {
  EventLoop loop;
  int ticks = 0;
  TimerId id = 0;
  id = loop.run_every(5ms, [&] {
    if (++ticks == 5) {
      loop.cancel_timer(id);  // from inside its own callback
      loop.run_after(30ms, [&] { loop.stop(); });
    }
  });
  loop.run();
  EXPECT_EQ(ticks, 5);
}

TEST(EventLoop, CancelledTimerDoesNotFire) {
  EventLoop loop;
  bool fired = false;
  const TimerId id = loop.run_after(10ms, [&] { fired = true; });
  loop.cancel_timer(id);
  loop.cancel_timer(id);  // twice: harmless
  loop.run_after(40ms, [&] { loop.stop(); });
  loop.run();
  EXPECT_FALSE(fired);
}

TEST(EventLoop, TimersFireInDeadlineOrder) {
  EventLoop loop;
  std::vector<int> order;
  loop.run_after(40ms, [&] { order.push_back(3); loop.stop(); });
  loop.run_after(10ms, [&] { order.push_back(1); });
  loop.run_after(25ms, [&] { order.push_back(2); });
  loop.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EventLoop, ManyTimersAllFire) {
  // The wheel is shared by every connection's timer: 20k of them, some beyond one wheel turn.
  EventLoop loop;
  int fired = 0;
  constexpr int kCount = 20'000;
  for (int i = 0; i < kCount; ++i)
    loop.run_after(std::chrono::milliseconds(i % 50) + (i % 1000 == 0 ? 4200ms : 0ms), [&] {
      if (++fired == kCount) loop.stop();
    });
  loop.run_after(test::kWait, [&] { loop.stop(); });
  loop.run();
  EXPECT_EQ(fired, kCount);
}

TEST(EventLoop, WatchReportsAReadablePipe) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string got;
  loop.watch(fds[0], readable, [&](std::uint32_t events) {
    EXPECT_TRUE(events & readable);
    char buffer[16];
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0) got.append(buffer, static_cast<std::size_t>(n));
    if (got == "hello") {
      loop.unwatch(fds[0]);
      loop.stop();
    }
  });
  std::thread writer([&] { ASSERT_EQ(::write(fds[1], "hello", 5), 5); });
  loop.run();
  writer.join();
  EXPECT_EQ(got, "hello");
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(EventLoop, StopFromAnotherThreadEndsRun) {
  EventLoop loop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);  // not an assertion: only lets run() start waiting
    loop.stop();
  });
  loop.run();
  stopper.join();
  SUCCEED();
}

}  // namespace
}  // namespace duplex::net
