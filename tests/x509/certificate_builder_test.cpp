#include "duplex/x509/certificate_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "duplex/crypto/error.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/x509/extensions.hpp"
#include "duplex/x509/general_name.hpp"
#include "duplex/x509/oid.hpp"
#include "duplex/x509/trust_store.hpp"
#include "duplex/x509/verify.hpp"

namespace duplex::x509 {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kNow = 1795538763;  // 2026-11-24 16:46:03Z
constexpr std::int64_t kDay = 86400;

crypto::PrivateKey generate(crypto::KeyType type) {
  auto key = crypto::PrivateKey::generate(type);
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

Bytes to_bytes(std::span<const std::uint8_t> span) { return Bytes(span.begin(), span.end()); }

// The scheme that verifies what a key of `type` signed, as the builder picks it.
crypto::SignatureScheme scheme_for(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::rsa:
      return crypto::SignatureScheme::rsa_pkcs1_sha256;
    case crypto::KeyType::ecdsa_p256:
      return crypto::SignatureScheme::ecdsa_secp256r1_sha256;
    case crypto::KeyType::ecdsa_p384:
      return crypto::SignatureScheme::ecdsa_secp384r1_sha384;
    case crypto::KeyType::ed25519:
      break;
  }
  return crypto::SignatureScheme::ed25519;
}

der::Oid algorithm_for(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::rsa:
      return oid::sha256_with_rsa;
    case crypto::KeyType::ecdsa_p256:
      return oid::ecdsa_with_sha256;
    case crypto::KeyType::ecdsa_p384:
      return oid::ecdsa_with_sha384;
    case crypto::KeyType::ed25519:
      break;
  }
  return oid::ed25519;
}

CertificateRequest ca_request(const crypto::PrivateKey& key) {
  return {.subject_key = key.public_key(),
          .common_name = "duplex test CA",
          .organization = "duplex",
          .not_before = kNow,
          .not_after = kNow + 3650 * kDay,
          .ca = true,
          .path_len = 0};
}

CertificateRequest leaf_request(const crypto::PrivateKey& key) {
  return {.subject_key = key.public_key(),
          .common_name = "localhost",
          .not_before = kNow,
          .not_after = kNow + 825 * kDay,
          .dns_names = {"localhost"},
          .ip_addresses = {*IpAddress::parse("127.0.0.1"), *IpAddress::parse("::1")},
          .extended_key_usage = {oid::kp_server_auth}};
}

Certificate parse(const Result<Bytes, IssueFailure>& der) {
  EXPECT_TRUE(der.ok()) << (der.ok() ? "" : der.error().message);
  auto certificate = parse_certificate(*der);
  EXPECT_TRUE(certificate.ok()) << (certificate.ok() ? "" : certificate.error().message());
  return std::move(certificate).value();
}

Status<> verify_signature(const Certificate& certificate, const crypto::PublicKey& key) {
  return key.verify(scheme_for(key.type()), certificate.tbs, certificate.signature_value.bytes);
}

Extensions extensions_of(const Certificate& certificate) {
  auto decoded = decode_extensions(certificate);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message());
  return std::move(decoded).value();
}

bool is_critical(const Certificate& certificate, der::Oid id) {
  const Extension* extension = certificate.find_extension(id);
  return extension && extension->critical;
}

TEST(IpAddress, ParsesIpv4AndIpv6Text) {
  EXPECT_EQ(IpAddress::parse("127.0.0.1")->octets, (Bytes{127, 0, 0, 1}));
  Bytes loopback6(16, 0);
  loopback6[15] = 1;
  EXPECT_EQ(IpAddress::parse("::1")->octets, loopback6);
  EXPECT_EQ(IpAddress::parse("2001:db8::1")->octets.size(), 16u);
}

TEST(IpAddress, RejectsNamesBracketsAndZones) {
  EXPECT_FALSE(IpAddress::parse("localhost"));
  EXPECT_FALSE(IpAddress::parse("[::1]"));
  EXPECT_FALSE(IpAddress::parse("fe80::1%eth0"));
  EXPECT_FALSE(IpAddress::parse("127.1"));
  EXPECT_FALSE(IpAddress::parse(""));
}

TEST(CertificateBuilder, SelfSignedParsesBackAndVerifiesForEveryKeyType) {
  for (auto type : {crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384, crypto::KeyType::ed25519,
                    crypto::KeyType::rsa}) {
    SCOPED_TRACE(std::string(crypto::to_string(type)));
    const auto key = generate(type);
    const Certificate certificate = parse(self_signed_certificate(ca_request(key), key));
    EXPECT_EQ(certificate.version, 3);
    EXPECT_TRUE(certificate.lints.empty());
    EXPECT_EQ(certificate.signature.algorithm, algorithm_for(type));
    EXPECT_EQ(certificate.signature_algorithm.algorithm, algorithm_for(type));
    // RFC 4055 §5: NULL parameters for sha256WithRSAEncryption; RFC 5758 / RFC 8410: none otherwise.
    EXPECT_EQ(to_bytes(certificate.signature.parameters), (type == crypto::KeyType::rsa ? Bytes{0x05, 0x00} : Bytes{}));
    EXPECT_EQ(certificate.subject.text, "O=duplex, CN=duplex test CA");
    EXPECT_EQ(certificate.issuer.text, certificate.subject.text);
    EXPECT_EQ(to_bytes(certificate.subject_public_key_info.der), key.public_key().spki_der());
    EXPECT_TRUE(verify_signature(certificate, key.public_key()).ok());
  }
}

TEST(CertificateBuilder, ValidityIsWrittenAsGiven) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.not_after = 2556144000;  // 2051-01-01: GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)
  const Certificate certificate = parse(self_signed_certificate(request, key));
  EXPECT_EQ(certificate.not_before, kNow);
  EXPECT_EQ(certificate.not_after, 2556144000);
}

TEST(CertificateBuilder, RandomSerialIsPositiveSixteenOctetsAndFresh) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate a = parse(self_signed_certificate(leaf_request(key), key));
  const Certificate b = parse(self_signed_certificate(leaf_request(key), key));
  ASSERT_EQ(a.serial.size(), 16u);
  EXPECT_EQ(a.serial[0] & 0x80, 0);  // RFC 5280 §4.1.2.2: positive
  EXPECT_FALSE(std::ranges::equal(a.serial, b.serial));
}

TEST(CertificateBuilder, GivenSerialIsWrittenMinimally) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.serial = {0x00, 0x00, 0x80, 0x01};
  const Certificate certificate = parse(self_signed_certificate(request, key));
  EXPECT_EQ(to_bytes(certificate.serial), (Bytes{0x00, 0x80, 0x01}));  // 0x00 keeps it positive
  EXPECT_TRUE(certificate.lints.empty());
}

TEST(CertificateBuilder, LeafSanHoldsDnsNameIpv4AndIpv6) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate certificate = parse(self_signed_certificate(leaf_request(key), key));
  auto names = subject_alt_names(certificate);
  ASSERT_TRUE(names.ok());
  ASSERT_EQ(names->size(), 3u);
  EXPECT_EQ((*names)[0].type, GeneralNameType::dns_name);
  EXPECT_EQ((*names)[0].text(), "localhost");
  EXPECT_EQ((*names)[1].type, GeneralNameType::ip_address);
  EXPECT_EQ(to_bytes((*names)[1].value), (Bytes{127, 0, 0, 1}));
  EXPECT_EQ((*names)[2].type, GeneralNameType::ip_address);
  Bytes loopback6(16, 0);
  loopback6[15] = 1;
  EXPECT_EQ(to_bytes((*names)[2].value), loopback6);
  EXPECT_FALSE(is_critical(certificate, oid::subject_alt_name));  // the subject is not empty
}

TEST(CertificateBuilder, SanIsCriticalWhenSubjectIsEmpty) {
  const auto ca_key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate ca = parse(self_signed_certificate(ca_request(ca_key), ca_key));
  auto issuer = issuer_from_certificate(ca, ca_key);
  ASSERT_TRUE(issuer.ok());
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.common_name.clear();
  const Certificate certificate = parse(issue_certificate(request, *issuer));
  EXPECT_EQ(certificate.subject.der.size(), 2u);  // SEQUENCE {}
  // RFC 5280 §4.2.1.6: an empty subject makes subjectAltName critical.
  EXPECT_TRUE(is_critical(certificate, oid::subject_alt_name));
}

TEST(CertificateBuilder, CaHasCriticalBasicConstraintsAndCertSignKeyUsage) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate certificate = parse(self_signed_certificate(ca_request(key), key));
  const Extensions extensions = extensions_of(certificate);
  ASSERT_TRUE(extensions.basic_constraints);
  EXPECT_TRUE(extensions.basic_constraints->ca);
  EXPECT_EQ(extensions.basic_constraints->path_len, 0u);
  EXPECT_TRUE(is_critical(certificate, oid::basic_constraints));
  ASSERT_TRUE(extensions.key_usage);
  EXPECT_TRUE(extensions.key_usage->has(KeyUsageBit::key_cert_sign));
  EXPECT_TRUE(extensions.key_usage->has(KeyUsageBit::crl_sign));
  EXPECT_FALSE(extensions.key_usage->has(KeyUsageBit::digital_signature));
  EXPECT_TRUE(is_critical(certificate, oid::key_usage));
  EXPECT_FALSE(extensions.extended_key_usage);
  ASSERT_TRUE(extensions.subject_key_identifier);
  EXPECT_EQ(to_bytes(*extensions.subject_key_identifier), key_identifier(key.public_key()));
  EXPECT_FALSE(extensions.authority_key_identifier);  // self-signed: RFC 5280 §4.2.1.1 lets it go
  EXPECT_TRUE(extensions.unsupported_critical.empty());
}

TEST(CertificateBuilder, LeafIsNotACaAndSignsOnly) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate certificate = parse(self_signed_certificate(leaf_request(key), key));
  const Extensions extensions = extensions_of(certificate);
  ASSERT_TRUE(extensions.basic_constraints);
  EXPECT_FALSE(extensions.basic_constraints->ca);
  EXPECT_FALSE(extensions.basic_constraints->path_len);
  ASSERT_TRUE(extensions.key_usage);
  EXPECT_EQ(extensions.key_usage->bits, 1u << static_cast<unsigned>(KeyUsageBit::digital_signature));
  ASSERT_TRUE(extensions.extended_key_usage);
  EXPECT_TRUE(extensions.extended_key_usage->contains(oid::kp_server_auth));
  EXPECT_FALSE(extensions.extended_key_usage->contains(oid::kp_client_auth));
}

TEST(CertificateBuilder, ClientAndServerPurposesBothListed) {
  const auto key = generate(crypto::KeyType::ed25519);
  auto request = leaf_request(key);
  request.extended_key_usage = {oid::kp_server_auth, oid::kp_client_auth};
  // The Extensions' views point into the certificate: it must outlive them.
  const Certificate certificate = parse(self_signed_certificate(request, key));
  const Extensions extensions = extensions_of(certificate);
  ASSERT_TRUE(extensions.extended_key_usage);
  EXPECT_EQ(extensions.extended_key_usage->purposes.size(), 2u);
  EXPECT_TRUE(extensions.extended_key_usage->contains(oid::kp_client_auth));
}

TEST(CertificateBuilder, ChainLeafVerifiesWithTheCaKeyForEveryCaKeyType) {
  for (auto type : {crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384, crypto::KeyType::ed25519,
                    crypto::KeyType::rsa}) {
    SCOPED_TRACE(std::string(crypto::to_string(type)));
    const auto ca_key = generate(type);
    const Certificate ca = parse(self_signed_certificate(ca_request(ca_key), ca_key));
    auto issuer = issuer_from_certificate(ca, ca_key);
    ASSERT_TRUE(issuer.ok()) << issuer.error().message;

    const auto leaf_key = generate(crypto::KeyType::ecdsa_p256);
    const Certificate leaf = parse(issue_certificate(leaf_request(leaf_key), *issuer));
    EXPECT_EQ(leaf.signature_algorithm.algorithm, algorithm_for(type));
    EXPECT_TRUE(std::ranges::equal(leaf.issuer.der, ca.subject.der));
    EXPECT_EQ(leaf.subject.text, "CN=localhost");
    EXPECT_TRUE(verify_signature(leaf, ca_key.public_key()).ok());
    const auto wrong = leaf_key.public_key().verify(crypto::SignatureScheme::ecdsa_secp256r1_sha256, leaf.tbs,
                                                    leaf.signature_value.bytes);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(crypto::crypto_error_of(wrong.error()), crypto::CryptoError::bad_signature);

    // RFC 5280 §4.2.1.1: the leaf's authorityKeyIdentifier is the CA's subjectKeyIdentifier.
    const Extensions leaf_extensions = extensions_of(leaf);
    const Extensions ca_extensions = extensions_of(ca);
    ASSERT_TRUE(leaf_extensions.authority_key_identifier);
    ASSERT_TRUE(leaf_extensions.authority_key_identifier->key_identifier);
    EXPECT_TRUE(std::ranges::equal(*leaf_extensions.authority_key_identifier->key_identifier,
                                   *ca_extensions.subject_key_identifier));
  }
}

TEST(CertificateBuilder, ChainPassesPathValidationWithTheCaAsAStrictAnchor) {
  const auto ca_key = generate(crypto::KeyType::ecdsa_p256);
  const auto ca_der = self_signed_certificate(ca_request(ca_key), ca_key);
  const Certificate ca = parse(ca_der);
  auto issuer = issuer_from_certificate(ca, ca_key);
  ASSERT_TRUE(issuer.ok());
  const auto leaf_key = generate(crypto::KeyType::ecdsa_p256);
  const std::vector<Bytes> chain = {*issue_certificate(leaf_request(leaf_key), *issuer)};
  TrustStore roots;
  ASSERT_TRUE(roots.add_der(*ca_der));
  // strict_trust_anchors: the CA is held to the issuance profile too (AKI/SKI, criticality).
  VerifyOptions options{.roots = &roots, .time = kNow + kDay, .strict_trust_anchors = true};
  for (const char* name : {"localhost", "127.0.0.1", "::1"}) {
    options.peer_name = name;
    auto path = verify_certificate_chain(chain, options);
    EXPECT_TRUE(path.ok()) << name << ": " << (path.ok() ? "" : path.error().message());
  }
  options.peer_name = "example.com";
  auto wrong = verify_certificate_chain(chain, options);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().reason, VerifyReason::name_mismatch);
}

TEST(CertificateBuilder, KeyIdentifierIsTruncatedSha256OfTheSubjectPublicKey) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate certificate = parse(self_signed_certificate(leaf_request(key), key));
  // RFC 7093 §2 method 1: the BIT STRING's value only, not the whole SubjectPublicKeyInfo.
  const auto digest = crypto::hash(crypto::HashAlgorithm::sha256, certificate.subject_public_key_info.public_key.bytes);
  EXPECT_EQ(key_identifier(key.public_key()), Bytes(digest.bytes().begin(), digest.bytes().begin() + 20));
}

TEST(CertificateBuilder, IssuerFromLeafIsNotACa) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate leaf = parse(self_signed_certificate(leaf_request(key), key));
  auto issuer = issuer_from_certificate(leaf, key);
  ASSERT_FALSE(issuer.ok());
  EXPECT_EQ(issuer.error().code, IssueError::not_a_ca);
}

TEST(CertificateBuilder, IssuerWithAnotherKeyIsAMismatch) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  const Certificate ca = parse(self_signed_certificate(ca_request(key), key));
  auto issuer = issuer_from_certificate(ca, generate(crypto::KeyType::ecdsa_p256));
  ASSERT_FALSE(issuer.ok());
  EXPECT_EQ(issuer.error().code, IssueError::key_mismatch);
}

TEST(CertificateBuilder, SelfSignedWithAnotherKeyIsAMismatch) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto result = self_signed_certificate(leaf_request(key), generate(crypto::KeyType::ecdsa_p256));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::key_mismatch);
}

TEST(CertificateBuilder, RejectsPathLenWithoutCa) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.path_len = 1;
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_basic_constraints);
}

TEST(CertificateBuilder, RejectsNotAfterBeforeNotBefore) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.not_after = request.not_before - 1;
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_validity);
}

TEST(CertificateBuilder, RejectsTimePastYear9999) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.not_after = 253402300800;  // 10000-01-01
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_validity);
}

TEST(CertificateBuilder, RejectsSerialLongerThanTwentyOctets) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.serial = Bytes(20, 0xff);  // 21 octets once the sign octet is added
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_serial);
}

TEST(CertificateBuilder, RejectsZeroSerial) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.serial = {0x00};
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_serial);
}

TEST(CertificateBuilder, RejectsNonAsciiDnsName) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.dns_names = {"b\xc3\xbc" "cher.example"};
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_dns_name);
}

TEST(CertificateBuilder, RejectsIpAddressOfFiveOctets) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.ip_addresses = {IpAddress{{1, 2, 3, 4, 5}}};
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_ip_address);
}

TEST(CertificateBuilder, RejectsCaWithoutSubject) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = ca_request(key);
  request.common_name.clear();
  request.organization.clear();
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_name);
}

TEST(CertificateBuilder, RejectsSubjectThatIsNotUtf8) {
  const auto key = generate(crypto::KeyType::ecdsa_p256);
  auto request = leaf_request(key);
  request.common_name = "\xff";
  auto result = self_signed_certificate(request, key);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, IssueError::bad_name);
}

}  // namespace
}  // namespace duplex::x509
