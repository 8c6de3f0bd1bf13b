// The application's own per-connection state, owned by the connection and typed where it is used:
//
//   struct Session { std::string user; int messages = 0; };
//   hook:      return net::UpgradeAccept{.data = net::ConnectionData::make<Session>("ada")};
//   handlers:  if (Session* session = ws.data<Session>()) ++session->messages;
//
// One value per connection, destroyed with it (after on_close). data<T>() with another type than
// the one stored gives nullptr, never a reinterpretation.
#pragma once

#include <memory>
#include <utility>

namespace duplex::net {

namespace detail {
struct DataOps {
  void (*destroy)(void*);
};
template <typename T>
inline constexpr DataOps data_ops_for{+[](void* value) { std::unique_ptr<T>(static_cast<T*>(value)).reset(); }};
}  // namespace detail

class ConnectionData {
 public:
  ConnectionData() = default;
  template <typename T, typename... Args>
  static ConnectionData make(Args&&... args) {
    ConnectionData data;
    data.value_ = std::make_unique<T>(std::forward<Args>(args)...).release();
    data.ops_ = &detail::data_ops_for<T>;
    return data;
  }
  ConnectionData(ConnectionData&& other) noexcept
      : value_(std::exchange(other.value_, nullptr)), ops_(std::exchange(other.ops_, nullptr)) {}
  ConnectionData& operator=(ConnectionData&& other) noexcept {
    if (this != &other) {
      reset();
      value_ = std::exchange(other.value_, nullptr);
      ops_ = std::exchange(other.ops_, nullptr);
    }
    return *this;
  }
  ConnectionData(const ConnectionData&) = delete;
  ConnectionData& operator=(const ConnectionData&) = delete;
  ~ConnectionData() { reset(); }

  // The value if it is a T (the type make<T> was given), else nullptr.
  template <typename T>
  T* get() const {
    return ops_ == &detail::data_ops_for<T> ? static_cast<T*>(value_) : nullptr;
  }
  explicit operator bool() const { return value_ != nullptr; }
  void reset() {
    if (value_) ops_->destroy(value_);
    value_ = nullptr;
    ops_ = nullptr;
  }

 private:
  void* value_ = nullptr;
  const detail::DataOps* ops_ = nullptr;  // one per type: also the type's identity
};

}  // namespace duplex::net
