// Self-signed test certificates built with x509::der::Writer: a fresh key (RSA-2048, ECDSA P-256
// or P-384, Ed25519), a subject CN and subjectAltName DNS names, valid 2020-01-01 .. 2049-12-31.
// For handshake tests that need a CertifiedKey; nothing here checks a chain.
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
#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::tls::test {

namespace certificate_detail {

struct SigningAlgorithm {
  x509::der::Oid oid;
  bool null_parameters;  // RFC 4055 §5: the PKCS #1 v1.5 algorithms carry NULL parameters
  crypto::SignatureScheme scheme;
};

inline SigningAlgorithm signing_algorithm(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::rsa:
      return {x509::oid::sha256_with_rsa, true, crypto::SignatureScheme::rsa_pkcs1_sha256};
    case crypto::KeyType::ecdsa_p256:
      return {x509::oid::ecdsa_with_sha256, false, crypto::SignatureScheme::ecdsa_secp256r1_sha256};
    case crypto::KeyType::ecdsa_p384:
      return {x509::oid::ecdsa_with_sha384, false, crypto::SignatureScheme::ecdsa_secp384r1_sha384};
    case crypto::KeyType::ed25519:
      break;
  }
  return {x509::oid::ed25519, false, crypto::SignatureScheme::ed25519};
}

template <typename T, typename E>
T must(duplex::Result<T, E> result) {
  if (!result) std::abort();  // a broken crypto provider: nothing to test
  return std::move(result).value();
}

}  // namespace certificate_detail

// A DER certificate for `key`, signed by itself.
inline std::vector<std::uint8_t> self_signed_certificate(const crypto::PrivateKey& key,
                                                         const std::vector<std::string>& dns_names,
                                                         const std::string& common_name = "duplex test") {
  namespace der = x509::der;
  const auto algorithm = certificate_detail::signing_algorithm(key.type());
  auto write_algorithm = [&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      w.write_oid(algorithm.oid);
      if (algorithm.null_parameters) w.write_null();
    });
  };
  auto write_name = [&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      w.set([&](der::Writer& w) {
        w.sequence([&](der::Writer& w) {
          w.write_oid(x509::oid::common_name);
          (void)w.write_string(der::tags::utf8_string, common_name);
        });
      });
    });
  };

  der::Writer tbs;
  tbs.sequence([&](der::Writer& w) {
    w.explicit_tag(0, [](der::Writer& w) { w.write_integer(2); });  // v3
    w.write_integer(1);
    write_algorithm(w);
    write_name(w);
    w.sequence([](der::Writer& w) {
      (void)w.write_time(1577836800);  // 2020-01-01
      (void)w.write_time(2524521600);  // 2049-12-31
    });
    write_name(w);
    w.write_encoded(key.public_key().spki_der());
    if (dns_names.empty()) return;
    w.explicit_tag(3, [&](der::Writer& w) {
      w.sequence([&](der::Writer& w) {
        w.sequence([&](der::Writer& w) {
          w.write_oid(x509::oid::subject_alt_name);
          der::Writer names;
          names.sequence([&](der::Writer& n) {
            // RFC 5280 §4.2.1.6: dNSName [2] IA5String, implicitly tagged.
            for (const auto& name : dns_names)
              n.write_element(der::context(2, false),
                              std::span(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
          });
          w.write_octet_string(names.bytes());
        });
      });
    });
  });

  const std::vector<std::uint8_t> tbs_der = tbs.take();
  const auto signature = certificate_detail::must(key.sign(algorithm.scheme, tbs_der));
  der::Writer certificate;
  certificate.sequence([&](der::Writer& w) {
    w.write_encoded(tbs_der);
    write_algorithm(w);
    (void)w.write_bit_string(signature);
  });
  return certificate.take();
}

// A fresh key of `type` and its self-signed certificate, with dns_names filled in.
inline CertifiedKey self_signed(crypto::KeyType type, std::vector<std::string> dns_names = {"example.com"}) {
  auto key = certificate_detail::must(crypto::PrivateKey::generate(type));
  auto certificate = self_signed_certificate(key, dns_names);
  return CertifiedKey{{std::move(certificate)}, std::move(key), std::move(dns_names)};
}

}  // namespace duplex::tls::test
