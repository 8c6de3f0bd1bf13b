#include "duplex/crypto/provider.hpp"

#include <openssl/crypto.h>

namespace duplex::crypto {

// The runtime library's own answer, not the headers' OPENSSL_VERSION_TEXT: it says what is loaded.
std::string_view provider_version() { return OpenSSL_version(OPENSSL_VERSION); }

}  // namespace duplex::crypto
