// Private to src/tls: how both roles' handshakes step from state to state (STYLE example 3). A
// state is a struct holding what is valid while it waits; `handle(message, context, io) &&`
// consumes it and yields the next state. While a state runs, the machine holds `Failed`, so a
// failure leaves nothing half-done behind.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "handshake_io.hpp"

namespace duplex::tls::detail {

template <typename Failed, typename States, typename Context>
Status step(States& current, const HandshakeMessage& message, Context& context, HandshakeIo& io) {
  auto state = std::exchange(current, Failed{});
  auto next = std::visit([&](auto&& running) { return std::move(running).handle(message, context, io); },
                         std::move(state));
  if (!next) return fail(next.error());
  current = std::move(next).value();
  return Unit{};
}

// A change_cipher_spec record during the handshake. A state that waits for it (TLS 1.2's
// ExpectChangeCipherSpec) has `handle_change_cipher_spec(context, io) &&`: it is a message then
// (RFC 5246 §7.1), and the result is true. Any other TLS 1.2 state (one that says `tls12`) refuses
// it. Every other state is TLS 1.3's or the hellos', where it is compatibility noise the
// connection drops (RFC 8446 §5): false.
template <typename Failed, typename States, typename Context>
Result<bool> step_change_cipher_spec(States& current, Context& context, HandshakeIo& io, std::string_view peer) {
  return std::visit(
      [&](auto& running) -> Result<bool> {
        using State = std::decay_t<decltype(running)>;
        if constexpr (requires { std::move(running).handle_change_cipher_spec(context, io); }) {
          State state = std::move(running);
          current = Failed{};
          auto next = std::move(state).handle_change_cipher_spec(context, io);
          if (!next) return fail(next.error());
          current = std::move(next).value();
          return true;
        } else if constexpr (requires { State::tls12; }) {
          // RFC 5246 §7.1: ChangeCipherSpec comes only where §7.3 draws it, right before Finished.
          return reject(AlertDescription::unexpected_message,
                        "the " + std::string(peer) + " sent ChangeCipherSpec before it was due (RFC 5246 §7.3)");
        } else {
          return false;
        }
      },
      current);
}

}  // namespace duplex::tls::detail
