// The crypto provider under every primitive: OpenSSL 3 libcrypto.
#pragma once

#include <string_view>

namespace duplex::crypto {

// The libcrypto this process runs on, as it names itself ("OpenSSL 3.0.17 1 Jul 2025").
std::string_view provider_version();

}  // namespace duplex::crypto
