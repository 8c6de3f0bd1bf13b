// RFC 8446 §4.2.7 named groups for key exchange. One definition serves both layers: the crypto
// provider, which implements some of them, owns the open enum and its names.
#pragma once

#include "duplex/crypto/key_exchange.hpp"

namespace duplex::tls {

using crypto::NamedGroup;
using crypto::to_string;

}  // namespace duplex::tls
