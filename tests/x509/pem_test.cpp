#include "duplex/x509/pem.hpp"

#include <gtest/gtest.h>

#include "duplex/util/byte_reader.hpp"

namespace duplex::x509 {
namespace {

using Bytes = std::vector<std::uint8_t>;

void expect_error(std::string_view text, PemError error) {
  auto blocks = parse_pem(text);
  ASSERT_FALSE(blocks.ok()) << text;
  EXPECT_EQ(blocks.error(), error) << describe(blocks.error());
}

TEST(Pem, ParsesSeveralBlocksAndIgnoresTextOutside) {
  const std::string text =
      "subject=CN = test\n"
      "-----BEGIN CERTIFICATE-----\n"
      "AAEC\n"
      "AwQ=\n"
      "-----END CERTIFICATE-----\n"
      "some words in between\r\n"
      "-----BEGIN PRIVATE KEY-----\r\n"
      "  Zm9v \t\r\n"
      "\r\n"
      "-----END PRIVATE KEY-----  \r\n";
  auto blocks = parse_pem(text);
  ASSERT_TRUE(blocks.ok()) << describe(blocks.error());
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].label, "CERTIFICATE");
  EXPECT_EQ((*blocks)[0].der, (Bytes{0, 1, 2, 3, 4}));
  EXPECT_EQ((*blocks)[1].label, "PRIVATE KEY");
  EXPECT_EQ(as_text((*blocks)[1].der), "foo");
}

TEST(Pem, NoBlockIsAnEmptyList) {
  auto blocks = parse_pem("nothing here\n");
  ASSERT_TRUE(blocks.ok());
  EXPECT_TRUE(blocks->empty());
  EXPECT_TRUE(parse_pem("")->empty());
}

TEST(Pem, RejectsMalformedBlocks) {
  expect_error("-----BEGIN CERTIFICATE-----\nAAEC\n", PemError::missing_end);
  expect_error("-----BEGIN CERTIFICATE-----\nAAEC\n-----END X509 CRL-----\n", PemError::label_mismatch);
  expect_error("-----BEGIN CERTIFICATE-----\nAA EC\n-----END CERTIFICATE-----\n", PemError::bad_base64);
  expect_error("-----BEGIN CERTIFICATE-----\nAAE\n-----END CERTIFICATE-----\n", PemError::bad_base64);
  expect_error("-----BEGIN CERTIFICATE-----\nAA-C\n-----END CERTIFICATE-----\n", PemError::bad_base64);
  expect_error(
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n"
      "-----END RSA PRIVATE KEY-----\n",
      PemError::headers);
  expect_error("-----BEGIN  CERT-----\n-----END  CERT-----\n", PemError::bad_label);
  expect_error("-----BEGIN A--B-----\n-----END A--B-----\n", PemError::bad_label);
}

TEST(Pem, CertificatesSkipsOtherBlocks) {
  const std::string text = write_pem("PRIVATE KEY", Bytes{9}) + write_pem("CERTIFICATE", Bytes{1}) +
                           write_pem("CERTIFICATE", Bytes{2, 3});
  auto certificates = pem_certificates(text);
  ASSERT_TRUE(certificates.ok());
  ASSERT_EQ(certificates->size(), 2u);
  EXPECT_EQ((*certificates)[1], (Bytes{2, 3}));
  auto none = pem_certificates(write_pem("PRIVATE KEY", Bytes{9}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error(), PemError::no_block);
}

TEST(Pem, FirstPrivateKeyInEachForm) {
  const std::pair<const char*, PrivateKeyFormat> forms[] = {
      {"PRIVATE KEY", PrivateKeyFormat::pkcs8},
      {"EC PRIVATE KEY", PrivateKeyFormat::ec},
      {"RSA PRIVATE KEY", PrivateKeyFormat::rsa},
  };
  for (const auto& [label, format] : forms) {
    const std::string text =
        write_pem("CERTIFICATE", Bytes{1}) + write_pem(label, Bytes{7}) + write_pem(label, Bytes{8});
    auto key = pem_private_key(text);
    ASSERT_TRUE(key.ok()) << label;
    EXPECT_EQ(key->format, format);
    EXPECT_EQ(key->der, (Bytes{7}));
  }
  auto encrypted = pem_private_key(write_pem("ENCRYPTED PRIVATE KEY", Bytes{1}));
  ASSERT_FALSE(encrypted.ok());
  EXPECT_EQ(encrypted.error(), PemError::no_block);
}

TEST(Pem, WritesSixtyFourCharacterLines) {
  const Bytes der(100, 0xab);
  const std::string text = write_pem("CERTIFICATE", der);
  EXPECT_TRUE(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_TRUE(text.ends_with("\n-----END CERTIFICATE-----\n"));
  // 100 bytes -> 136 base64 characters -> lines of 64, 64 and 8.
  const std::size_t first = text.find('\n') + 1;
  EXPECT_EQ(text.find('\n', first) - first, 64u);
  auto blocks = parse_pem(text);
  ASSERT_TRUE(blocks.ok());
  EXPECT_EQ((*blocks)[0].der, der);
  EXPECT_EQ(write_pem("X", {}), "-----BEGIN X-----\n-----END X-----\n");
}

}  // namespace
}  // namespace duplex::x509
