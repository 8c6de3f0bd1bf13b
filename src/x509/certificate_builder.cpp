#include "duplex/x509/certificate_builder.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/random.hpp"
#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/extensions.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::x509 {

namespace {

using Bytes = std::vector<std::uint8_t>;

Failure<IssueFailure> issue_failure(IssueError code, std::string message) {
  return fail(IssueFailure{code, std::move(message)});
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// The signature algorithm an issuer's key implies, and the TLS scheme that computes it.
struct SignatureAlgorithm {
  der::Oid oid;
  bool null_parameters;  // RFC 4055 §5: the PKCS #1 v1.5 algorithms carry NULL parameters
  crypto::SignatureScheme scheme;
};

SignatureAlgorithm signature_algorithm(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::rsa:
      return {oid::sha256_with_rsa, true, crypto::SignatureScheme::rsa_pkcs1_sha256};
    // RFC 5758 §3.2: for ecdsa-with-SHA*, "the encoding MUST omit the parameters field".
    case crypto::KeyType::ecdsa_p256:
      return {oid::ecdsa_with_sha256, false, crypto::SignatureScheme::ecdsa_secp256r1_sha256};
    case crypto::KeyType::ecdsa_p384:
      return {oid::ecdsa_with_sha384, false, crypto::SignatureScheme::ecdsa_secp384r1_sha384};
    case crypto::KeyType::ed25519:
      break;
  }
  // RFC 8410 §3: "the parameters MUST be absent".
  return {oid::ed25519, false, crypto::SignatureScheme::ed25519};
}

void write_algorithm(der::Writer& w, const SignatureAlgorithm& algorithm) {
  w.sequence([&](der::Writer& w) {
    w.write_oid(algorithm.oid);
    if (algorithm.null_parameters) w.write_null();
  });
}

// RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets.
Result<Bytes, IssueFailure> serial_number(const Bytes& given) {
  if (given.empty()) {
    Bytes serial(16);
    crypto::random_bytes(serial);
    // Top bit clear (positive), next bit set (no leading zero octet): exactly 16 octets.
    serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7f) | 0x40);
    return serial;
  }
  const auto first = std::find_if(given.begin(), given.end(), [](std::uint8_t b) { return b != 0; });
  if (first == given.end()) return issue_failure(IssueError::bad_serial, "the serial number is zero");
  const std::size_t encoded = static_cast<std::size_t>(given.end() - first) + ((*first & 0x80) ? 1 : 0);
  if (encoded > 20)
    return issue_failure(IssueError::bad_serial, "the serial number is longer than 20 octets (RFC 5280 §4.1.2.2)");
  return Bytes(first, given.end());
}

Status<IssueFailure> check_request(const CertificateRequest& request) {
  if (request.not_after < request.not_before)
    return issue_failure(IssueError::bad_validity, "the certificate's notAfter is before its notBefore");
  if (request.path_len && !request.ca)
    return issue_failure(IssueError::bad_basic_constraints,
                         "the certificate's pathLenConstraint needs cA (RFC 5280 §4.2.1.9)");
  if (request.ca && request.common_name.empty() && request.organization.empty())
    return issue_failure(IssueError::bad_name, "a CA certificate needs a subject name (RFC 5280 §4.1.2.6)");
  if (request.common_name.empty() && request.organization.empty() && request.dns_names.empty() &&
      request.ip_addresses.empty())
    return issue_failure(IssueError::bad_name, "the certificate names no subject: no subject name and no SAN");
  for (const auto& name : request.dns_names) {
    // RFC 5280 §4.2.1.6: dNSName is an IA5String, and a dNSName of " " (empty) "MUST NOT be used".
    const bool ia5 = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (name.empty() || !ia5)
      return issue_failure(IssueError::bad_dns_name, "the dNSName '" + name + "' is empty or not ASCII");
  }
  for (const auto& address : request.ip_addresses)
    if (address.octets.size() != 4 && address.octets.size() != 16)
      return issue_failure(IssueError::bad_ip_address, "an iPAddress has " + std::to_string(address.octets.size()) +
                                                           " octets, not 4 (IPv4) or 16 (IPv6)");
  return Unit{};
}

// X.690 §11.2.2: a named bit list drops its trailing zero bits. `bits` as KeyUsageBit numbers.
void write_named_bits(der::Writer& w, std::uint16_t bits) {
  Bytes bytes;
  int last = -1;
  for (int i = 0; i < 16; ++i) {
    if (!((bits >> i) & 1)) continue;
    bytes.resize(static_cast<std::size_t>(i / 8 + 1));
    bytes[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
    last = i;
  }
  (void)w.write_bit_string(bytes, last < 0 ? 0 : static_cast<std::uint8_t>(7 - last % 8));
}

std::uint16_t bit(KeyUsageBit b) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(b)); }

// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
// X.690 §11.5: the DEFAULT FALSE is left out, not encoded.
template <typename Body>
void write_extension(der::Writer& w, der::Oid id, bool critical, Body&& body) {
  der::Writer value;
  body(value);
  w.sequence([&](der::Writer& w) {
    w.write_oid(id);
    if (critical) w.write_boolean(true);
    w.write_octet_string(value.bytes());
  });
}

bool empty_subject(const CertificateRequest& request) {
  return request.common_name.empty() && request.organization.empty();
}

// RFC 5280 §4.2: the extensions, in the order OpenSSL and most CAs write them.
void write_extensions(der::Writer& w, const CertificateRequest& request, const Bytes* authority_key_id) {
  // §4.2.1.9: "Conforming CAs MUST include this extension in all CA certificates ... and MUST
  // mark the extension as critical".
  write_extension(w, oid::basic_constraints, true, [&](der::Writer& v) {
    v.sequence([&](der::Writer& v) {
      if (request.ca) v.write_boolean(true);
      if (request.path_len) v.write_integer(*request.path_len);
    });
  });
  // §4.2.1.3: "When present, conforming CAs SHOULD mark this extension as critical."
  write_extension(w, oid::key_usage, true, [&](der::Writer& v) {
    write_named_bits(v, request.ca ? bit(KeyUsageBit::key_cert_sign) | bit(KeyUsageBit::crl_sign)
                                   : bit(KeyUsageBit::digital_signature));
  });
  if (!request.extended_key_usage.empty())
    write_extension(w, oid::extended_key_usage, false, [&](der::Writer& v) {
      v.sequence([&](der::Writer& v) {
        for (const auto& purpose : request.extended_key_usage) v.write_oid(purpose);
      });
    });
  // §4.2.1.2: CAs MUST have it, end entities SHOULD.
  write_extension(w, oid::subject_key_identifier, false,
                  [&](der::Writer& v) { v.write_octet_string(key_identifier(request.subject_key)); });
  // §4.2.1.1: keyIdentifier [0] IMPLICIT KeyIdentifier.
  if (authority_key_id)
    write_extension(w, oid::authority_key_identifier, false, [&](der::Writer& v) {
      v.sequence([&](der::Writer& v) { v.write_octet_string(*authority_key_id, der::context(0, false)); });
    });
  if (!request.dns_names.empty() || !request.ip_addresses.empty())
    // §4.2.1.6: "If the subject field contains an empty sequence, then the issuing CA MUST
    // include a subjectAltName extension that is marked as critical."
    write_extension(w, oid::subject_alt_name, empty_subject(request), [&](der::Writer& v) {
      v.sequence([&](der::Writer& v) {
        for (const auto& name : request.dns_names) v.write_element(der::context(2, false), as_bytes(name));
        for (const auto& address : request.ip_addresses) v.write_octet_string(address.octets, der::context(7, false));
      });
    });
}

Result<Bytes, IssueFailure> encode_tbs(const CertificateRequest& request, const Bytes& serial,
                                       const SignatureAlgorithm& algorithm, std::span<const std::uint8_t> issuer_name,
                                       std::span<const std::uint8_t> subject, const Bytes* authority_key_id) {
  bool times_ok = true;
  der::Writer tbs;
  tbs.sequence([&](der::Writer& w) {
    w.explicit_tag(0, [](der::Writer& w) { w.write_integer(2); });  // §4.1.2.1: v3
    w.write_unsigned_integer(serial);
    write_algorithm(w, algorithm);  // §4.1.2.3: the same as signatureAlgorithm
    w.write_encoded(issuer_name);
    w.sequence([&](der::Writer& w) {
      times_ok = w.write_time(request.not_before).ok() && w.write_time(request.not_after).ok();
    });
    w.write_encoded(subject);
    w.write_encoded(request.subject_key.spki_der());
    w.explicit_tag(3, [&](der::Writer& w) {
      w.sequence([&](der::Writer& w) { write_extensions(w, request, authority_key_id); });
    });
  });
  if (!times_ok)
    return issue_failure(IssueError::bad_validity, "a validity time is outside the years 0000-9999 X.509 can hold");
  return tbs.take();
}

Result<Bytes, IssueFailure> sign_certificate(const CertificateRequest& request, std::span<const std::uint8_t> issuer_name,
                                             const crypto::PrivateKey& issuer_key, const Bytes* authority_key_id) {
  if (auto checked = check_request(request); !checked) return fail(checked.error());
  // §4.1.2.4: "The issuer field MUST contain a non-empty distinguished name".
  if (issuer_name.size() <= 2) return issue_failure(IssueError::bad_name, "the issuer's name is empty");
  auto subject = encode_name(request.common_name, request.organization);
  if (!subject) return fail(subject.error());
  auto serial = serial_number(request.serial);
  if (!serial) return fail(serial.error());
  const SignatureAlgorithm algorithm = signature_algorithm(issuer_key.type());
  auto tbs = encode_tbs(request, *serial, algorithm, issuer_name, *subject, authority_key_id);
  if (!tbs) return fail(tbs.error());
  auto signature = issuer_key.sign(algorithm.scheme, *tbs);
  if (!signature) return issue_failure(IssueError::signing_failed, "signing failed: " + signature.error().message);
  // §4.1.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }.
  der::Writer certificate;
  certificate.sequence([&](der::Writer& w) {
    w.write_encoded(*tbs);
    write_algorithm(w, algorithm);
    (void)w.write_bit_string(*signature);
  });
  return certificate.take();
}

bool same_key(const crypto::PublicKey& a, const crypto::PublicKey& b) { return a.spki_der() == b.spki_der(); }

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string terminated(text);
  std::array<std::uint8_t, 16> octets{};
  if (inet_pton(AF_INET, terminated.c_str(), octets.data()) == 1)
    return IpAddress{Bytes(octets.begin(), octets.begin() + 4)};
  if (inet_pton(AF_INET6, terminated.c_str(), octets.data()) == 1) return IpAddress{Bytes(octets.begin(), octets.end())};
  return std::nullopt;
}

std::string_view to_string(IssueError error) {
  switch (error) {
    case IssueError::bad_validity:
      return "bad_validity";
    case IssueError::bad_serial:
      return "bad_serial";
    case IssueError::bad_name:
      return "bad_name";
    case IssueError::bad_dns_name:
      return "bad_dns_name";
    case IssueError::bad_ip_address:
      return "bad_ip_address";
    case IssueError::bad_basic_constraints:
      return "bad_basic_constraints";
    case IssueError::key_mismatch:
      return "key_mismatch";
    case IssueError::not_a_ca:
      return "not_a_ca";
    case IssueError::signing_failed:
      return "signing_failed";
  }
  return "unknown";
}

Result<std::vector<std::uint8_t>, IssueFailure> encode_name(std::string_view common_name,
                                                            std::string_view organization) {
  // RFC 5280 §4.1.2.6: Name ::= SEQUENCE OF RelativeDistinguishedName, one attribute per RDN;
  // §4.1.2.4: new certificates use UTF8String (or PrintableString).
  bool valid = true;
  auto write_rdn = [&](der::Writer& w, der::Oid type, std::string_view value) {
    if (value.empty()) return;
    w.set([&](der::Writer& w) {
      w.sequence([&](der::Writer& w) {
        w.write_oid(type);
        valid = valid && w.write_string(der::tags::utf8_string, value).ok();
      });
    });
  };
  der::Writer name;
  name.sequence([&](der::Writer& w) {
    write_rdn(w, oid::organization_name, organization);
    write_rdn(w, oid::common_name, common_name);
  });
  if (!valid) return issue_failure(IssueError::bad_name, "the subject name is not valid UTF-8");
  return name.take();
}

std::vector<std::uint8_t> key_identifier(const crypto::PublicKey& key) {
  const Bytes spki = key.spki_der();
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  der::Reader outer(spki);
  auto info = outer.read_sequence();
  std::span<const std::uint8_t> public_key = spki;  // unreachable fallback: the provider's DER is valid
  if (info && info->read_any()) {
    if (auto bits = info->read_bit_string()) public_key = bits->bytes;
  }
  const crypto::Digest digest = crypto::hash(crypto::HashAlgorithm::sha256, public_key);
  return Bytes(digest.bytes().begin(), digest.bytes().begin() + 20);
}

Result<std::vector<std::uint8_t>, IssueFailure> issue_certificate(const CertificateRequest& request,
                                                                  const CertificateIssuer& issuer) {
  return sign_certificate(request, issuer.name_der, issuer.key, &issuer.key_identifier);
}

Result<std::vector<std::uint8_t>, IssueFailure> self_signed_certificate(const CertificateRequest& request,
                                                                        const crypto::PrivateKey& key) {
  if (!same_key(request.subject_key, key.public_key()))
    return issue_failure(IssueError::key_mismatch, "the signing key is not the private key of the subject's key");
  // RFC 5280 §4.1.2.4: "The issuer field MUST contain a non-empty distinguished name".
  if (empty_subject(request))
    return issue_failure(IssueError::bad_name, "a self-signed certificate needs a subject name (its issuer)");
  auto name = encode_name(request.common_name, request.organization);
  if (!name) return fail(name.error());
  return sign_certificate(request, *name, key, nullptr);
}

Result<CertificateIssuer, IssueFailure> issuer_from_certificate(const Certificate& ca, crypto::PrivateKey key) {
  auto ca_key = crypto::PublicKey::from_spki_der(ca.subject_public_key_info.der);
  if (!ca_key || !same_key(*ca_key, key.public_key()))
    return issue_failure(IssueError::key_mismatch, "the private key is not the key of the CA certificate");
  std::optional<BasicConstraints> constraints;
  if (const Extension* extension = ca.find_extension(oid::basic_constraints)) {
    if (auto parsed = parse_basic_constraints(extension->value)) constraints = *parsed;
  }
  if (!constraints || !constraints->ca)
    return issue_failure(IssueError::not_a_ca, "the issuer's certificate does not assert cA (RFC 5280 §4.2.1.9)");
  Bytes key_id;
  if (const Extension* extension = ca.find_extension(oid::subject_key_identifier)) {
    if (auto parsed = parse_subject_key_identifier(extension->value)) key_id.assign(parsed->begin(), parsed->end());
  }
  // §4.2.1.1: the authority's key identifier is its subjectKeyIdentifier, when it has one.
  if (key_id.empty()) key_id = key_identifier(*ca_key);
  return CertificateIssuer{Bytes(ca.subject.der.begin(), ca.subject.der.end()), std::move(key), std::move(key_id)};
}

}  // namespace duplex::x509
