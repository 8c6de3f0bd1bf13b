#include "duplex/x509/certificate.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"
#include "duplex/x509/pem.hpp"

namespace duplex::x509 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30
//   -subj "/C=DE/O=Example Co/CN=www.example.com"
//   -addext "subjectAltName=DNS:www.example.com,IP:127.0.0.1"
//   -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth"
const Bytes kOpensslCertificate = from_hex(
    "30820215308201bca003020102021463875bb5cbe09cdb49c5e42cb106dc5082019252300a06082a8648ce3d04030230"
    "3c310b300906035504061302444531133011060355040a0c0a4578616d706c6520436f3118301606035504030c0f7777"
    "772e6578616d706c652e636f6d301e170d3236313132343136343630335a170d3236313232343136343630335a303c31"
    "0b300906035504061302444531133011060355040a0c0a4578616d706c6520436f3118301606035504030c0f7777772e"
    "6578616d706c652e636f6d3059301306072a8648ce3d020106082a8648ce3d030107034200044d07d181bc93439cbe44"
    "d94bcee7cb0f4293e3db55031f4fbcf99147cfc0731875a50a1e9e9701a408f23a4063848dffb55c2f28207f800fc4de"
    "78d015ecedbca3819b308198301d0603551d0e041604148156c89a5e5509e42d1219e3178c998acf1da46c301f060355"
    "1d230418301680148156c89a5e5509e42d1219e3178c998acf1da46c300f0603551d130101ff040530030101ff302006"
    "03551d1104193017820f7777772e6578616d706c652e636f6d87047f000001300e0603551d0f0101ff04040302078030"
    "130603551d25040c300a06082b06010505070301300a06082a8648ce3d04030203470030440220556a05e39f7df7a376"
    "7d4f86876af7954d9ad4f6eb20f838499465a2732ee0c60220329179c3fbfbf5d6c32c246090e413a2d4609e5b9f0fe8"
    "1c207a0a0381eb3466");

TEST(Certificate, ParsesOpensslCertificate) {
  auto certificate = parse_certificate(kOpensslCertificate);
  ASSERT_TRUE(certificate.ok()) << certificate.error().message();
  EXPECT_EQ(certificate->version, 3);
  EXPECT_EQ(Bytes(certificate->serial.begin(), certificate->serial.end()),
            from_hex("63875bb5cbe09cdb49c5e42cb106dc5082019252"));
  EXPECT_TRUE(certificate->lints.empty());
  EXPECT_EQ(certificate->signature.algorithm, oid::ecdsa_with_sha256);
  EXPECT_TRUE(certificate->signature.parameters.empty());
  EXPECT_EQ(certificate->signature_algorithm.algorithm, oid::ecdsa_with_sha256);
  EXPECT_EQ(certificate->subject.text, "C=DE, O=Example Co, CN=www.example.com");
  EXPECT_EQ(certificate->issuer.text, certificate->subject.text);
  EXPECT_TRUE(std::ranges::equal(certificate->issuer.der, certificate->subject.der));
  EXPECT_EQ(certificate->issuer.der.size(), 62u);
  EXPECT_EQ(certificate->not_before, 1795538763);  // 2026-11-24 16:46:03Z
  EXPECT_EQ(certificate->not_after, 1798130763);   // 2026-12-24 16:46:03Z
  EXPECT_EQ(certificate->subject_public_key_info.algorithm.algorithm, oid::ec_public_key);
  EXPECT_EQ(certificate->subject_public_key_info.algorithm.parameters.size(), 10u);  // the curve OID
  EXPECT_EQ(certificate->subject_public_key_info.public_key.bytes.size(), 65u);     // uncompressed point
  EXPECT_EQ(certificate->subject_public_key_info.der.size(), 91u);
  EXPECT_EQ(certificate->tbs.size(), 448u);
  EXPECT_EQ(certificate->der.size(), kOpensslCertificate.size());
  EXPECT_EQ(certificate->signature_value.unused_bits, 0);

  ASSERT_EQ(certificate->extensions.size(), 6u);
  const der::Oid expected[] = {oid::subject_key_identifier, oid::authority_key_identifier, oid::basic_constraints,
                               oid::subject_alt_name, oid::key_usage, oid::extended_key_usage};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(certificate->extensions[i].oid, expected[i]) << i;
  const Extension* key_usage = certificate->find_extension(oid::key_usage);
  ASSERT_NE(key_usage, nullptr);
  EXPECT_TRUE(key_usage->critical);
  EXPECT_EQ(Bytes(key_usage->value.begin(), key_usage->value.end()), (Bytes{0x03, 0x02, 0x07, 0x80}));
  EXPECT_FALSE(certificate->find_extension(oid::subject_alt_name)->critical);
  EXPECT_EQ(certificate->find_extension(oid::name_constraints), nullptr);
}

// openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=rsa (sha256WithRSAEncryption, NULL parameters)
const Bytes kOpensslRsaCertificate = from_hex(
    "308201f830820161a00302010202143150883ada0301ec6099816a80cb09661d3aa533300d06092a864886f70d01010b"
    "0500300e310c300a06035504030c03727361301e170d3236313132343136343630335a170d3236313232343136343630"
    "335a300e310c300a06035504030c0372736130819f300d06092a864886f70d010101050003818d0030818902818100cd"
    "30ac5403424b974b2c1d4abdbdad0f68c1ae8f1489ad7b32226762ba2ee5eaedf7129cce1f1a2112e0da90f082e95cc1"
    "219ac5bedb3ca4cdbb2b6d282572f5bb2f6c38d4d5ebcc29d7e3d7697997b41e2ac0f3e5bfed87c4309b8e467ef25f79"
    "8b04b5799ddee5323199c063116fe595495327044f6bda40da50820a9a9e310203010001a3533051301d0603551d0e04"
    "1604143642823959fa04b76ed5d2c2055dec0e17ca041e301f0603551d230418301680143642823959fa04b76ed5d2c2"
    "055dec0e17ca041e300f0603551d130101ff040530030101ff300d06092a864886f70d01010b0500038181002ccb5644"
    "2bae6d01ed328a4645b082916957ef833a37b4a4edba35146850d8cb4b1c971818afec513b586347a3dbdb2bc73aa362"
    "575c1e9c4f8f291b82b4b42f7f77f35d0a30b9397f4ac654f13f3ebcd3d2e4bb2954e388560400d692e252c62b837472"
    "00376310171dd8262006de7d0faf3675ca1aae40906582a054e33f9a");

TEST(Certificate, KeepsAlgorithmParameters) {
  auto certificate = parse_certificate(kOpensslRsaCertificate);
  ASSERT_TRUE(certificate.ok()) << certificate.error().message();
  EXPECT_EQ(certificate->signature.algorithm, oid::sha256_with_rsa);
  EXPECT_EQ(Bytes(certificate->signature.parameters.begin(), certificate->signature.parameters.end()),
            (Bytes{0x05, 0x00}));
  EXPECT_EQ(certificate->subject_public_key_info.algorithm.algorithm, oid::rsa_encryption);
  EXPECT_EQ(certificate->subject.text, "CN=rsa");
  EXPECT_EQ(certificate->signature_value.bytes.size(), 128u);  // a 1024-bit RSA signature
}

TEST(Certificate, SpansStayValidInCopies) {
  std::optional<Certificate> copy;
  {
    Bytes input = kOpensslCertificate;
    auto certificate = parse_certificate(input);
    ASSERT_TRUE(certificate.ok());
    copy = *certificate;
    input.assign(input.size(), 0);  // the parsed certificate does not point into its input
  }
  EXPECT_EQ(copy->subject_public_key_info.public_key.bytes[0], 0x04);
  EXPECT_TRUE(std::ranges::equal(copy->der, kOpensslCertificate));
}

TEST(Certificate, ReadsPemFromOpenssl) {
  auto certificates = pem_certificates(write_pem("CERTIFICATE", kOpensslCertificate));
  ASSERT_TRUE(certificates.ok());
  EXPECT_TRUE(parse_certificate(certificates->front()).ok());
}

// A certificate built with our writer, every field adjustable for the error cases.
struct Spec {
  std::optional<std::int64_t> version = 2;  // nullopt: absent (v1)
  Bytes serial{0x01};
  std::string tbs_algorithm = "1.2.840.10045.4.3.2";
  std::string outer_algorithm = "1.2.840.10045.4.3.2";
  bool rdn_empty = false;
  std::int64_t not_before = 0, not_after = 2524608000;
  bool unique_id = false;
  struct Ext {
    std::string oid;
    std::optional<bool> critical;
    Bytes value;
  };
  std::optional<std::vector<Ext>> extensions = std::vector<Ext>{{"2.5.29.19", true, {0x30, 0x00}}};
  Bytes trailing;
};

Bytes build(const Spec& spec) {
  der::Writer w;
  auto name = [&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      w.set([&](der::Writer& w) {
        if (spec.rdn_empty) return;
        w.sequence([&](der::Writer& w) {
          w.write_oid(oid::common_name);
          (void)w.write_string(der::tags::utf8_string, "a, b");
        });
      });
    });
  };
  w.sequence([&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      if (spec.version) w.explicit_tag(0, [&](der::Writer& w) { w.write_integer(*spec.version); });
      w.write_element(der::tags::integer, spec.serial);
      w.sequence([&](der::Writer& w) { (void)w.write_oid(spec.tbs_algorithm); });
      name(w);
      w.sequence([&](der::Writer& w) {
        (void)w.write_time(spec.not_before);
        (void)w.write_time(spec.not_after);
      });
      name(w);
      w.sequence([&](der::Writer& w) {
        w.sequence([&](der::Writer& w) { w.write_oid(oid::ed25519); });
        (void)w.write_bit_string(Bytes(32, 0x11));
      });
      if (spec.unique_id) (void)w.write_bit_string(Bytes{0x01}, 0, der::context(1, false));
      if (spec.extensions) {
        w.explicit_tag(3, [&](der::Writer& w) {
          w.sequence([&](der::Writer& w) {
            for (const auto& ext : *spec.extensions) {
              w.sequence([&](der::Writer& w) {
                (void)w.write_oid(ext.oid);
                if (ext.critical) w.write_boolean(*ext.critical);
                w.write_octet_string(ext.value);
              });
            }
          });
        });
      }
    });
    w.sequence([&](der::Writer& w) { (void)w.write_oid(spec.outer_algorithm); });
    (void)w.write_bit_string(Bytes(64, 0x22));
  });
  Bytes out = w.take();
  out.insert(out.end(), spec.trailing.begin(), spec.trailing.end());
  return out;
}

void expect_error(const Spec& spec, CertificateError code, std::string_view field) {
  auto certificate = parse_certificate(build(spec));
  ASSERT_FALSE(certificate.ok());
  EXPECT_EQ(certificate.error().code, code) << certificate.error().message();
  EXPECT_EQ(certificate.error().field, field);
}

TEST(Certificate, ParsesBuiltCertificate) {
  auto certificate = parse_certificate(build({}));
  ASSERT_TRUE(certificate.ok()) << certificate.error().message();
  EXPECT_EQ(certificate->version, 3);
  EXPECT_EQ(certificate->subject.text, "CN=a\\, b");
  EXPECT_EQ(certificate->not_after, 2524608000);
  ASSERT_EQ(certificate->extensions.size(), 1u);
  EXPECT_EQ(certificate->extensions[0].oid, oid::basic_constraints);
}

TEST(Certificate, AcceptsV1WithoutExtensions) {
  Spec spec;
  spec.version.reset();
  spec.extensions.reset();
  auto certificate = parse_certificate(build(spec));
  ASSERT_TRUE(certificate.ok()) << certificate.error().message();
  EXPECT_EQ(certificate->version, 1);
  EXPECT_TRUE(certificate->extensions.empty());
  spec.version = 0;
  certificate = parse_certificate(build(spec));
  ASSERT_TRUE(certificate.ok());
  EXPECT_TRUE(certificate->has_lint(Lint::version_v1_encoded));
}

TEST(Certificate, RejectsOtherVersions) {
  Spec v2;
  v2.version = 1;
  expect_error(v2, CertificateError::unsupported_version, "tbsCertificate.version");
  Spec v4;
  v4.version = 3;
  expect_error(v4, CertificateError::unsupported_version, "tbsCertificate.version");
}

TEST(Certificate, RejectsExtensionsAndUniqueIdsInV1) {
  Spec spec;
  spec.version.reset();
  expect_error(spec, CertificateError::extensions_without_v3, "tbsCertificate.extensions");
  spec.extensions.reset();
  spec.unique_id = true;
  expect_error(spec, CertificateError::extensions_without_v3, "tbsCertificate.issuerUniqueID");
  Spec v3;
  v3.unique_id = true;
  EXPECT_TRUE(parse_certificate(build(v3)).ok());
}

TEST(Certificate, RejectsDuplicateAndEmptyExtensions) {
  Spec spec;
  spec.extensions->push_back({"2.5.29.19", std::nullopt, {0x30, 0x00}});
  expect_error(spec, CertificateError::duplicate_extension, "tbsCertificate.extensions");
  spec.extensions->clear();
  expect_error(spec, CertificateError::empty_extensions, "tbsCertificate.extensions");
}

TEST(Certificate, RecordsExplicitCriticalFalse) {
  Spec spec;
  spec.extensions = std::vector<Spec::Ext>{{"2.5.29.17", false, {0x30, 0x00}}};
  auto certificate = parse_certificate(build(spec));
  ASSERT_TRUE(certificate.ok());
  EXPECT_TRUE(certificate->has_lint(Lint::critical_false_encoded));
  EXPECT_FALSE(certificate->extensions[0].critical);
}

TEST(Certificate, RecordsSerialViolations) {
  auto lints_of = [](Bytes serial) {
    Spec spec;
    spec.serial = std::move(serial);
    auto certificate = parse_certificate(build(spec));
    EXPECT_TRUE(certificate.ok());
    return certificate->lints;
  };
  EXPECT_EQ(lints_of({0x00}), std::vector<Lint>{Lint::serial_not_positive});
  EXPECT_EQ(lints_of({0xff}), std::vector<Lint>{Lint::serial_not_positive});
  EXPECT_EQ(lints_of(Bytes(21, 0x11)), std::vector<Lint>{Lint::serial_too_long});
  Bytes twenty_with_sign_byte(21, 0x81);
  twenty_with_sign_byte[0] = 0x00;
  EXPECT_TRUE(lints_of(twenty_with_sign_byte).empty());
  EXPECT_TRUE(lints_of(Bytes(20, 0x11)).empty());
  Spec bad;
  bad.serial = {0x00, 0x01};
  auto certificate = parse_certificate(build(bad));
  ASSERT_FALSE(certificate.ok());
  EXPECT_EQ(certificate.error().code, CertificateError::malformed);
  EXPECT_EQ(certificate.error().der_error, der::DerError::non_minimal_integer);
  EXPECT_EQ(certificate.error().field, "tbsCertificate.serialNumber");
}

TEST(Certificate, RejectsSignatureAlgorithmMismatch) {
  Spec spec;
  spec.outer_algorithm = "1.2.840.10045.4.3.3";
  expect_error(spec, CertificateError::signature_algorithm_mismatch, "signatureAlgorithm");
}

TEST(Certificate, RejectsEmptyRdnAndTrailingBytes) {
  Spec spec;
  spec.rdn_empty = true;
  expect_error(spec, CertificateError::empty_rdn, "tbsCertificate.issuer");
  Spec trailing;
  trailing.trailing = {0x00};
  auto certificate = parse_certificate(build(trailing));
  ASSERT_FALSE(certificate.ok());
  EXPECT_EQ(certificate.error().der_error, der::DerError::trailing_data);
  EXPECT_EQ(certificate.error().field, "Certificate");
}

TEST(Certificate, RejectsBadValidityTime) {
  Bytes der = kOpensslCertificate;
  // notBefore is the UTCTime at offset 111; its month digits follow the tag, length and year.
  der[111 + 2 + 2] = '1';
  der[111 + 2 + 3] = '3';  // month 13
  auto certificate = parse_certificate(der);
  ASSERT_FALSE(certificate.ok());
  EXPECT_EQ(certificate.error().der_error, der::DerError::bad_time);
  EXPECT_EQ(certificate.error().field, "tbsCertificate.validity");
  EXPECT_EQ(certificate.error().message(),
            "the certificate's tbsCertificate.validity is malformed: a time is not in its DER form or not a real date");
}

TEST(Certificate, EveryTruncationFailsCleanly) {
  for (std::size_t size = 0; size < kOpensslCertificate.size(); ++size) {
    auto certificate = parse_certificate(std::span(kOpensslCertificate).first(size));
    EXPECT_FALSE(certificate.ok()) << size;
  }
}

TEST(Name, ParsesOnItsOwnWithEscapesAndUnknownTypes) {
  der::Writer w;
  w.sequence([](der::Writer& w) {
    w.set([](der::Writer& w) {
      w.sequence([](der::Writer& w) {
        w.write_oid(oid::organization_name);
        (void)w.write_string(der::tags::utf8_string, " #x+y ");
      });
      w.sequence([](der::Writer& w) {
        (void)w.write_oid("1.2.3.4");
        w.write_octet_string(Bytes{0xab});
      });
    });
  });
  auto name = parse_name(w.bytes());
  ASSERT_TRUE(name.ok()) << name.error().message();
  EXPECT_EQ(name->text, "O=\\ #x\\+y\\ +1.2.3.4=#0401ab");
}

}  // namespace
}  // namespace duplex::x509
