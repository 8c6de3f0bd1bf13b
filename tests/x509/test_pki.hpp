// Certificates issued inside the tests with our DER writer and the crypto provider's keys, so each
// test states the one field it changes. Not a product: a test helper.
//
//   auto root = test_pki::issue({.subject = "Root", .ca = true});
//   auto leaf = test_pki::issue({.subject = "leaf", .dns_names = {"example.com"}}, &root);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::x509::test_pki {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::int64_t kNow = 1767225600;           // 2026-01-01T00:00:00Z
inline constexpr std::int64_t kYearAgo = kNow - 365 * 86400;
inline constexpr std::int64_t kInAYear = kNow + 365 * 86400;

struct RawExtension {
  std::string oid;  // dotted
  bool critical = false;
  Bytes value;      // the extnValue's contents (DER)
};

struct Spec {
  std::string subject{};                  // the CN; empty for an empty subject
  std::optional<std::string> issuer{};    // the issuer's CN when it should differ from the real issuer
  std::int64_t not_before = kYearAgo;
  std::int64_t not_after = kInAYear;
  bool ca = false;                      // basicConstraints cA (present whenever ca or path_len)
  std::optional<int> path_len{};
  bool basic_constraints = true;        // write basicConstraints at all
  std::optional<std::uint16_t> key_usage{};  // bits as KeyUsageBit numbers; default by role
  std::vector<std::string> eku{};         // dotted OIDs; none means no extension
  std::vector<std::string> dns_names{};
  std::vector<Bytes> ip_addresses{};
  std::vector<std::string> emails{};
  std::vector<std::string> permitted_dns{};
  std::vector<std::string> excluded_dns{};
  std::vector<Bytes> permitted_ip{};      // address + mask
  bool authority_key_id = true;
  bool subject_key_id = true;
  std::vector<RawExtension> extra{};
  std::string signature_oid{};            // override (e.g. SHA-1) with a meaningless signature
  crypto::KeyType key_type = crypto::KeyType::ecdsa_p256;
  std::optional<crypto::PrivateKey> key{};  // reuse a key (cross-signing)
  std::int64_t serial = 0;              // 0: a counter
};

struct Issued {
  Bytes der;
  crypto::PrivateKey key;
  std::string subject;
  Bytes key_id;
};

inline Bytes key_id_of(const crypto::PrivateKey& key) {
  const auto spki = key.public_key().spki_der();
  const auto digest = crypto::hash(crypto::HashAlgorithm::sha256, spki);
  return Bytes(digest.bytes().begin(), digest.bytes().begin() + 20);
}

inline void write_name(der::Writer& w, const std::string& cn) {
  w.sequence([&](der::Writer& w) {
    if (cn.empty()) return;
    w.set([&](der::Writer& w) {
      w.sequence([&](der::Writer& w) {
        w.write_oid(oid::common_name);
        (void)w.write_string(der::tags::utf8_string, cn);
      });
    });
  });
}

inline Bytes encode(auto body) {
  der::Writer w;
  body(w);
  return w.take();
}

inline std::pair<der::Oid, std::optional<crypto::SignatureScheme>> signature_of(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::rsa: return {oid::sha256_with_rsa, crypto::SignatureScheme::rsa_pkcs1_sha256};
    case crypto::KeyType::ecdsa_p384: return {oid::ecdsa_with_sha384, crypto::SignatureScheme::ecdsa_secp384r1_sha384};
    case crypto::KeyType::ed25519: return {oid::ed25519, crypto::SignatureScheme::ed25519};
    default: return {oid::ecdsa_with_sha256, crypto::SignatureScheme::ecdsa_secp256r1_sha256};
  }
}

inline std::vector<RawExtension> extensions_of(const Spec& spec, const Bytes& subject_key_id, const Bytes& authority_key_id) {
  std::vector<RawExtension> out;
  if (spec.basic_constraints && (spec.ca || spec.path_len))
    out.push_back({"2.5.29.19", true, encode([&](der::Writer& w) {
                     w.sequence([&](der::Writer& w) {
                       if (spec.ca) w.write_boolean(true);
                       if (spec.path_len) w.write_integer(*spec.path_len);
                     });
                   })});
  const std::uint16_t usage = spec.key_usage.value_or(spec.ca ? (1u << 5) | (1u << 6) : 1u << 0);
  if (usage) {
    std::uint8_t bytes[2] = {0, 0};
    int last = 0;
    for (int bit = 0; bit < 9; ++bit)
      if (usage & (1u << bit)) {
        bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] | (0x80 >> (bit % 8)));
        last = bit;
      }
    const std::size_t length = last < 8 ? 1 : 2;
    const auto unused = static_cast<std::uint8_t>(length * 8 - 1 - last);
    out.push_back({"2.5.29.15", true, encode([&](der::Writer& w) {
                     (void)w.write_bit_string(std::span<const std::uint8_t>(bytes, length), unused);
                   })});
  }
  if (!spec.eku.empty())
    out.push_back({"2.5.29.37", false, encode([&](der::Writer& w) {
                     w.sequence([&](der::Writer& w) {
                       for (const auto& purpose : spec.eku) (void)w.write_oid(purpose);
                     });
                   })});
  if (!spec.dns_names.empty() || !spec.ip_addresses.empty() || !spec.emails.empty())
    out.push_back({"2.5.29.17", spec.subject.empty(), encode([&](der::Writer& w) {
                     w.sequence([&](der::Writer& w) {
                       for (const auto& email : spec.emails) w.write_element(der::context(1, false), as_bytes(email));
                       for (const auto& name : spec.dns_names)
                         w.write_element(der::context(2, false), as_bytes(name));
                       for (const auto& ip : spec.ip_addresses) w.write_octet_string(ip, der::context(7, false));
                     });
                   })});
  if (!spec.permitted_dns.empty() || !spec.excluded_dns.empty() || !spec.permitted_ip.empty())
    out.push_back({"2.5.29.30", true, encode([&](der::Writer& w) {
                     w.sequence([&](der::Writer& w) {
                       if (!spec.permitted_dns.empty() || !spec.permitted_ip.empty())
                         w.constructed(der::context(0, true), [&](der::Writer& w) {
                           for (const auto& name : spec.permitted_dns)
                             w.sequence([&](der::Writer& w) { w.write_element(der::context(2, false), as_bytes(name)); });
                           for (const auto& ip : spec.permitted_ip)
                             w.sequence([&](der::Writer& w) { w.write_octet_string(ip, der::context(7, false)); });
                         });
                       if (!spec.excluded_dns.empty())
                         w.constructed(der::context(1, true), [&](der::Writer& w) {
                           for (const auto& name : spec.excluded_dns)
                             w.sequence([&](der::Writer& w) { w.write_element(der::context(2, false), as_bytes(name)); });
                         });
                     });
                   })});
  if (spec.subject_key_id)
    out.push_back({"2.5.29.14", false, encode([&](der::Writer& w) { w.write_octet_string(subject_key_id); })});
  if (spec.authority_key_id && !authority_key_id.empty())
    out.push_back({"2.5.29.35", false, encode([&](der::Writer& w) {
                     w.sequence([&](der::Writer& w) { w.write_octet_string(authority_key_id, der::context(0, false)); });
                   })});
  for (const auto& extension : spec.extra) out.push_back(extension);
  return out;
}

// Issues `spec` signed by `issuer` (self-signed when null).
inline Issued issue(Spec spec, const Issued* issuer = nullptr) {
  static std::int64_t counter = 1000;
  crypto::PrivateKey key = spec.key ? *spec.key : *crypto::PrivateKey::generate(spec.key_type);
  const crypto::PrivateKey& signer = issuer ? issuer->key : key;
  const Bytes subject_key_id = key_id_of(key);
  const Bytes authority_key_id = issuer ? issuer->key_id : subject_key_id;
  const std::string issuer_name = spec.issuer.value_or(issuer ? issuer->subject : spec.subject);
  auto [algorithm, scheme] = signature_of(signer.type());
  der::Writer algorithm_writer;
  algorithm_writer.sequence([&](der::Writer& w) {
    if (!spec.signature_oid.empty()) {
      (void)w.write_oid(spec.signature_oid);
      w.write_null();
      return;
    }
    w.write_oid(algorithm);
    if (signer.type() == crypto::KeyType::rsa) w.write_null();
  });
  const Bytes algorithm_der = algorithm_writer.take();
  const auto spki = key.public_key().spki_der();
  der::Writer tbs;
  tbs.sequence([&](der::Writer& w) {
    w.explicit_tag(0, [&](der::Writer& w) { w.write_integer(2); });
    w.write_integer(spec.serial ? spec.serial : ++counter);
    w.write_encoded(algorithm_der);
    write_name(w, issuer_name);
    w.sequence([&](der::Writer& w) {
      (void)w.write_time(spec.not_before);
      (void)w.write_time(spec.not_after);
    });
    write_name(w, spec.subject);
    w.write_encoded(spki);
    const auto extensions = extensions_of(spec, subject_key_id, authority_key_id);
    if (!extensions.empty())
      w.explicit_tag(3, [&](der::Writer& w) {
        w.sequence([&](der::Writer& w) {
          for (const auto& extension : extensions)
            w.sequence([&](der::Writer& w) {
              (void)w.write_oid(extension.oid);
              if (extension.critical) w.write_boolean(true);
              w.write_octet_string(extension.value);
            });
        });
      });
  });
  const Bytes tbs_der = tbs.take();
  Bytes signature = spec.signature_oid.empty() ? *signer.sign(*scheme, tbs_der) : Bytes(64, 0x42);
  der::Writer certificate;
  certificate.sequence([&](der::Writer& w) {
    w.write_encoded(tbs_der);
    w.write_encoded(algorithm_der);
    (void)w.write_bit_string(signature);
  });
  return {certificate.take(), key, spec.subject, subject_key_id};
}

struct CrlSpec {
  std::int64_t this_update = kYearAgo;
  std::optional<std::int64_t> next_update = kInAYear;
  std::vector<Bytes> revoked_serials{};  // INTEGER contents, as Certificate::serial
  bool crl_number = true;
  bool crl_number_critical = false;
  std::vector<RawExtension> extra{};
};

// A v2 CRL of `issuer`, signed with its key.
inline Bytes issue_crl(const CrlSpec& spec, const Issued& issuer) {
  auto [algorithm, scheme] = signature_of(issuer.key.type());
  const Bytes algorithm_der = encode([&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      w.write_oid(algorithm);
      if (issuer.key.type() == crypto::KeyType::rsa) w.write_null();
    });
  });
  std::vector<RawExtension> extensions = spec.extra;
  if (spec.crl_number)
    extensions.push_back({"2.5.29.20", spec.crl_number_critical, encode([](der::Writer& w) { w.write_integer(1); })});
  der::Writer tbs;
  tbs.sequence([&](der::Writer& w) {
    w.write_integer(1);  // v2
    w.write_encoded(algorithm_der);
    write_name(w, issuer.subject);
    (void)w.write_time(spec.this_update);
    if (spec.next_update) (void)w.write_time(*spec.next_update);
    if (!spec.revoked_serials.empty())
      w.sequence([&](der::Writer& w) {
        for (const auto& serial : spec.revoked_serials)
          w.sequence([&](der::Writer& w) {
            w.write_element(der::tags::integer, serial);
            (void)w.write_time(spec.this_update);
          });
      });
    if (!extensions.empty())
      w.explicit_tag(0, [&](der::Writer& w) {
        w.sequence([&](der::Writer& w) {
          for (const auto& extension : extensions)
            w.sequence([&](der::Writer& w) {
              (void)w.write_oid(extension.oid);
              if (extension.critical) w.write_boolean(true);
              w.write_octet_string(extension.value);
            });
        });
      });
  });
  const Bytes tbs_der = tbs.take();
  const Bytes signature = *issuer.key.sign(*scheme, tbs_der);
  return encode([&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      w.write_encoded(tbs_der);
      w.write_encoded(algorithm_der);
      (void)w.write_bit_string(signature);
    });
  });
}

}  // namespace duplex::x509::test_pki
