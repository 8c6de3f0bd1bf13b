// Result<T, E>: a value or an error, for every path that handles network input (errors are values,
// not exceptions). E is usually a layer's own error type carrying a code and a sentence.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace duplex {

// The error every layer can fall back to: a machine-readable code and a sentence for a person.
struct Error {
  int code = 0;
  std::string message;
};

template <typename E>
struct Failure {
  E error;
};

template <typename E>
Failure<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}

template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  template <typename F>
  Result(Failure<F> failure) : state_(std::in_place_index<1>, E(std::move(failure.error))) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const { assert(!ok()); return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

// Result of an operation that yields nothing but can fail.
struct Unit {};

template <typename E = Error>
using Status = Result<Unit, E>;

}  // namespace duplex
