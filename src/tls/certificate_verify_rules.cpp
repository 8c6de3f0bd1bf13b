#include "certificate_verify_rules.hpp"

#include <algorithm>
#include <string>

#include "duplex/crypto/error.hpp"

namespace duplex::tls::detail {
namespace {

bool contains(std::span<const SignatureScheme> schemes, SignatureScheme scheme) {
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

}  // namespace

std::vector<std::uint8_t> signed_content(std::string_view context_string, const crypto::Digest& transcript_hash) {
  const auto hash = transcript_hash.bytes();
  std::vector<std::uint8_t> content(64 + context_string.size() + 1 + hash.size(), 0x20);
  auto out = std::copy(context_string.begin(), context_string.end(), content.begin() + 64);
  *out++ = 0;
  std::copy(hash.begin(), hash.end(), out);
  return content;
}

std::vector<std::uint8_t> signed_content(Signer signer, const crypto::Digest& transcript_hash) {
  return signed_content(signer == Signer::server ? kServerContextString : kClientContextString, transcript_hash);
}

bool usable_in_certificate_verify(SignatureScheme scheme) {
  switch (scheme) {
    // RFC 8446 §4.4.3: "RSA signatures MUST use an RSASSA-PSS algorithm, regardless of whether
    // RSASSA-PKCS1-v1_5 algorithms appear in "signature_algorithms"" and "SHA-1 MUST NOT be used
    // in any signatures of CertificateVerify messages".
    case SignatureScheme::rsa_pkcs1_sha256:
    case SignatureScheme::rsa_pkcs1_sha384:
    case SignatureScheme::rsa_pkcs1_sha512:
    case SignatureScheme::rsa_pkcs1_sha1:
    case SignatureScheme::ecdsa_sha1:
      return false;
    default:
      return crypto::is_supported(scheme);
  }
}

std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       std::span<const SignatureScheme> peers,
                                                       crypto::KeyType key_type) {
  for (const auto scheme : ours) {
    if (contains(peers, scheme) && usable_in_certificate_verify(scheme) && crypto::scheme_fits_key(scheme, key_type))
      return scheme;
  }
  return std::nullopt;
}

Status check_certificate_verify(const CertificateVerify& message, const crypto::PublicKey& key,
                                std::span<const SignatureScheme> offered, const crypto::Digest& transcript_hash,
                                Signer signer) {
  const auto scheme = message.algorithm;
  const std::string who = signer == Signer::server ? "the server's" : "the client's";
  const std::string offer = signer == Signer::server ? "the ClientHello's" : "our CertificateRequest's";
  // RFC 8446 §4.4.3: "If the CertificateVerify message is sent by a server, the signature
  // algorithm MUST be one offered in the client's "signature_algorithms" extension"; a client's
  // "MUST be one of those present in [...] the CertificateRequest message".
  if (!contains(offered, scheme))
    return reject(AlertDescription::illegal_parameter, who + " CertificateVerify uses " + to_string(scheme) + ", which " +
                                                           offer + " signature_algorithms did not offer (RFC 8446 §4.4.3)");
  if (!usable_in_certificate_verify(scheme))
    return reject(AlertDescription::illegal_parameter,
                  who + " CertificateVerify uses " + to_string(scheme) +
                      ", which TLS 1.3 allows in certificates only (RFC 8446 §4.4.3)");
  auto verified = key.verify(scheme, signed_content(signer, transcript_hash), message.signature);
  if (verified) return Unit{};
  const auto key_type = std::string(crypto::to_string(key.type()));
  if (crypto::crypto_error_of(verified.error()) == crypto::CryptoError::bad_signature) {
    // RFC 8446 §4.4.3: "If the verification fails, the receiver MUST terminate the handshake
    // with a "decrypt_error" alert."
    return reject(AlertDescription::decrypt_error, who + " CertificateVerify signature (" + to_string(scheme) +
                                                       ") does not verify with its certificate's " + key_type +
                                                       " key (RFC 8446 §4.4.3)");
  }
  // RFC 8446 §4.4.2.2: the signature algorithm must fit the end-entity certificate's key.
  return reject(AlertDescription::illegal_parameter, who + " CertificateVerify uses " + to_string(scheme) +
                                                         ", which does not fit its certificate's " + key_type +
                                                         " key (RFC 8446 §4.4.2.2)");
}

}  // namespace duplex::tls::detail
