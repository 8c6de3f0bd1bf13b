// RFC 8446 §4.2.3 signature schemes. One definition serves both layers: the crypto provider,
// which signs and verifies with some of them, owns the open enum and its names.
#pragma once

#include "duplex/crypto/signature.hpp"

namespace duplex::tls {

using crypto::SignatureScheme;
using crypto::to_string;

}  // namespace duplex::tls
