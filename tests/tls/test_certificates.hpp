// Self-signed test certificates from x509::self_signed_certificate: a fresh key (RSA-2048, ECDSA
// P-256 or P-384, Ed25519), a subject CN and subjectAltName DNS names, valid 2020-01-01 ..
// 2049-12-31. For handshake tests that need a CertifiedKey; nothing here checks a chain.
//
//   tls::CertifiedKey key = tls::test::self_signed(crypto::KeyType::ecdsa_p256, {"example.com"});
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "duplex/crypto/signature.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/x509/certificate_builder.hpp"
// Kept for the tests that build their own odd certificates and relied on them coming with this.
#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::tls::test {

namespace certificate_detail {

template <typename T, typename E>
T must(duplex::Result<T, E> result) {
  if (!result) std::abort();  // a broken crypto provider: nothing to test
  return std::move(result).value();
}

}  // namespace certificate_detail

// A DER certificate for `key`, signed by itself (a leaf: cA FALSE, digitalSignature).
inline std::vector<std::uint8_t> self_signed_certificate(const crypto::PrivateKey& key,
                                                         const std::vector<std::string>& dns_names,
                                                         const std::string& common_name = "duplex test") {
  return certificate_detail::must(x509::self_signed_certificate({.subject_key = key.public_key(),
                                                                 .common_name = common_name,
                                                                 .not_before = 1577836800,  // 2020-01-01
                                                                 .not_after = 2524521600,   // 2049-12-31
                                                                 .dns_names = dns_names},
                                                                key));
}

// A fresh key of `type` and its self-signed certificate, with dns_names filled in.
inline CertifiedKey self_signed(crypto::KeyType type, std::vector<std::string> dns_names = {"example.com"}) {
  auto key = certificate_detail::must(crypto::PrivateKey::generate(type));
  auto certificate = self_signed_certificate(key, dns_names);
  return CertifiedKey{{std::move(certificate)}, std::move(key), std::move(dns_names)};
}

}  // namespace duplex::tls::test
