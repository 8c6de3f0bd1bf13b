#include "tls12_signatures.hpp"

#include <algorithm>
#include <string>

namespace duplex::tls::detail {

bool usable_in_tls12(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::rsa_pkcs1_sha256:
    case SignatureScheme::rsa_pkcs1_sha384:
    case SignatureScheme::rsa_pkcs1_sha512:
    case SignatureScheme::rsa_pss_rsae_sha256:
    case SignatureScheme::rsa_pss_rsae_sha384:
    case SignatureScheme::rsa_pss_rsae_sha512:
    case SignatureScheme::ecdsa_secp256r1_sha256:
    case SignatureScheme::ecdsa_secp384r1_sha384:
    case SignatureScheme::ed25519:
      return crypto::is_supported(scheme);
    default:
      return false;
  }
}

bool key_fits_suite(const Tls12Suite& suite, crypto::KeyType type) {
  if (suite.authentication() == Tls12Authentication::rsa) return type == crypto::KeyType::rsa;
  return type == crypto::KeyType::ecdsa_p256 || type == crypto::KeyType::ecdsa_p384 ||
         type == crypto::KeyType::ed25519;
}

std::optional<SignatureScheme> choose_tls12_signature_scheme(std::span<const SignatureScheme> ours,
                                                             std::span<const SignatureScheme> peers,
                                                             crypto::KeyType key_type) {
  for (const auto scheme : ours) {
    if (!usable_in_tls12(scheme) || !crypto::scheme_fits_key(scheme, key_type, crypto::CurveRule::any_curve)) continue;
    if (std::find(peers.begin(), peers.end(), scheme) != peers.end()) return scheme;
  }
  return std::nullopt;
}

Status check_tls12_signature(std::string_view what, SignatureScheme scheme, std::span<const std::uint8_t> signature,
                             const crypto::PublicKey& key, std::span<const SignatureScheme> offered,
                             std::span<const std::uint8_t> content) {
  const std::string name(what);
  // RFC 5246 §7.4.1.4.1 (and §7.4.8): the algorithm "MUST be one of those present in the
  // supported_signature_algorithms field" the other side sent.
  if (std::find(offered.begin(), offered.end(), scheme) == offered.end() || !usable_in_tls12(scheme))
    return reject(AlertDescription::illegal_parameter, "the " + name + " is signed with " + to_string(scheme) +
                                                           ", which we did not offer (RFC 5246 §7.4.1.4.1)");
  if (!crypto::scheme_fits_key(scheme, key.type(), crypto::CurveRule::any_curve))
    return reject(AlertDescription::illegal_parameter, "the " + name + " is signed with " + to_string(scheme) +
                                                           ", which does not fit the certificate's " +
                                                           std::string(crypto::to_string(key.type())) +
                                                           " key (RFC 5246 §7.4.1.4.1)");
  // RFC 5246 §7.2.2: decrypt_error: "A handshake cryptographic operation failed, including being
  // unable to correctly verify a signature".
  if (!key.verify(scheme, content, signature, crypto::CurveRule::any_curve))
    return reject(AlertDescription::decrypt_error,
                  "the " + name + "'s " + to_string(scheme) + " signature does not verify with the certificate's key "
                  "(RFC 5246 §7.2.2)");
  return Unit{};
}

}  // namespace duplex::tls::detail
