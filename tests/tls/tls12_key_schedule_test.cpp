// The TLS 1.2 PRF and key schedule: the PRF against the P_SHA256 / P_SHA384 vectors circulated on
// the IETF TLS list ("test label", 100 and 148 bytes), and everything else against OpenSSL's own
// TLS 1.2 PRF (EVP_KDF "TLS1-PRF"), computed here with the RFC's labels and seeds.
#include "duplex/tls/tls12_key_schedule.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <string>
#include <vector>

#include "duplex/tls/key_schedule.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;
using crypto::HashAlgorithm;

Bytes bytes_of(std::span<const std::uint8_t> span) { return Bytes(span.begin(), span.end()); }
Bytes bytes_of(const crypto::Secret& secret) { return bytes_of(secret.bytes()); }
Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  Bytes out;
  for (auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}
std::span<const std::uint8_t> text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// OpenSSL's TLS 1.2 PRF: PRF(secret, label, seed)[length], label and seed given as one seed.
Bytes openssl_prf(HashAlgorithm hash, std::span<const std::uint8_t> secret, std::string_view label,
                  std::span<const std::uint8_t> seed, std::size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  Bytes label_and_seed = concat({text(label), seed});
  char* digest = const_cast<char*>(hash == HashAlgorithm::sha256   ? "SHA256"
                                   : hash == HashAlgorithm::sha384 ? "SHA384"
                                                                   : "SHA512");
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<std::uint8_t*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_and_seed.data(), label_and_seed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  EXPECT_EQ(ok, 1) << "EVP_KDF TLS1-PRF failed";
  return out;
}

Tls12Suite suite(CipherSuite cipher_suite) { return *Tls12Suite::from(cipher_suite); }

Tls12Randoms example_randoms() {
  Tls12Randoms randoms;
  for (std::size_t i = 0; i < 32; ++i) {
    randoms.client[i] = static_cast<std::uint8_t>(i);
    randoms.server[i] = static_cast<std::uint8_t>(0xa0 + i);
  }
  return randoms;
}

const Bytes kPreMaster =
    hex("03 03 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a"
        "c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3 c3");

Tls12MasterSecret master_for(CipherSuite cipher_suite, bool extended = true) {
  Tls12PreMasterSecret pre_master(suite(cipher_suite), crypto::Secret(kPreMaster));
  if (!extended) return std::move(pre_master).derive_master_secret(example_randoms());
  const auto session_hash = crypto::hash(suite(cipher_suite).prf_hash(), text("ClientHello..ClientKeyExchange"));
  return std::move(pre_master).derive_extended_master_secret(example_randoms(), session_hash);
}

// --- the PRF ---

TEST(Tls12Prf, Sha256PublishedVector) {
  // The IETF TLS list's P_SHA256 vector (also GnuTLS's and NSS's tests).
  const auto out = tls12_prf(HashAlgorithm::sha256, hex("9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35"),
                             "test label", hex("a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c"), 100);
  EXPECT_EQ(bytes_of(out), hex("e3 f2 29 ba 72 7b e1 7b 8d 12 26 20 55 7c d4 53 c2 aa b2 1d 07 c3 d4 95 32 9b 52 d4"
                               "e6 1e db 5a 6b 30 17 91 e9 0d 35 c9 c9 a4 6b 4e 14 ba f9 af 0f a0 22 f7 07 7d ef 17"
                               "ab fd 37 97 c0 56 4b ab 4f bc 91 66 6e 9d ef 9b 97 fc e3 4f 79 67 89 ba a4 80 82 d1"
                               "22 ee 42 c5 a7 2e 5a 51 10 ff f7 01 87 34 7b 66"));
}

TEST(Tls12Prf, Sha384PublishedVector) {
  const auto out = tls12_prf(HashAlgorithm::sha384, hex("b8 0b 73 3d 6c ee fc dc 71 56 6e a4 8e 55 67 df"),
                             "test label", hex("cd 66 5c f6 a8 44 7d d6 ff 8b 27 55 5e db 74 65"), 148);
  EXPECT_EQ(bytes_of(out), hex("7b 0c 18 e9 ce d4 10 ed 18 04 f2 cf a3 4a 33 6a 1c 14 df fb 49 00 bb 5f d7 94 21 07"
                               "e8 1c 83 cd e9 ca 0f aa 60 be 9f e3 4f 82 b1 23 3c 91 46 a0 e5 34 cb 40 0f ed 27 00"
                               "88 4f 9d c2 36 f8 0e dd 8b fa 96 11 44 c9 e8 d7 92 ec a7 22 a7 b3 2f c3 d4 16 d4 73"
                               "eb c2 c5 fd 4a bf da d0 5d 91 84 25 9b 5b f8 cd 4d 90 fa 0d 31 e2 de c4 79 e4 f1 a2"
                               "60 66 f2 ee a9 a6 92 36 a3 e5 26 55 c9 e9 ae e6 91 c8 f3 a2 68 54 30 8d 5e aa 3b e8"
                               "5e 09 90 70 3d 73 e5 6f"));
}

TEST(Tls12Prf, MatchesOpenSslForManyLengthsLabelsAndSecrets) {
  // Lengths around the hash's block boundaries, labels of every size, and secrets longer than the
  // HMAC block (hashed first, RFC 2104 §2).
  const std::string_view labels[] = {"test label", "key expansion", "", std::string_view("x"),
                                     "a label long enough to span more than one hash block of input, yes"};
  const std::size_t lengths[] = {1, 12, 31, 32, 33, 47, 48, 49, 64, 104, 200, 1000};
  const Bytes secrets[] = {Bytes(1, 0x01), Bytes(48, 0x42), Bytes(200, 0x99)};
  const Bytes seed = hex("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15");
  for (auto hash : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    for (auto label : labels) {
      for (auto length : lengths) {
        for (const auto& secret : secrets) {
          EXPECT_EQ(bytes_of(tls12_prf(hash, secret, label, seed, length)),
                    openssl_prf(hash, secret, label, seed, length))
              << crypto::to_string(hash) << " label \"" << label << "\" length " << length << " secret "
              << secret.size();
        }
      }
    }
  }
}

TEST(Tls12Prf, ShorterOutputIsAPrefixOfLonger) {
  const Bytes secret(32, 0x07);
  const auto longer = bytes_of(tls12_prf(HashAlgorithm::sha256, secret, "label", hex("01 02"), 97));
  for (std::size_t length : {0u, 1u, 32u, 33u, 64u, 96u}) {
    const auto shorter = bytes_of(tls12_prf(HashAlgorithm::sha256, secret, "label", hex("01 02"), length));
    EXPECT_EQ(shorter, Bytes(longer.begin(), longer.begin() + static_cast<std::ptrdiff_t>(length))) << length;
  }
}

// --- the suites ---

TEST(Tls12Suite, KnowsTheEightSuitesAndTheirParts) {
  struct Expected {
    CipherSuite suite;
    std::uint16_t code;
    const char* name;
    Tls12KeyExchange kx;
    Tls12Authentication auth;
    HashAlgorithm hash;
    crypto::AeadAlgorithm aead;
    std::size_t key, fixed_iv, record_iv;
  };
  using K = Tls12KeyExchange;
  using A = Tls12Authentication;
  using E = crypto::AeadAlgorithm;
  namespace s = tls12_suites;
  const Expected expected[] = {
      {s::ecdhe_ecdsa_with_aes_128_gcm_sha256, 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", K::ecdhe, A::ecdsa,
       HashAlgorithm::sha256, E::aes_128_gcm, 16, 4, 8},
      {s::ecdhe_ecdsa_with_aes_256_gcm_sha384, 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", K::ecdhe, A::ecdsa,
       HashAlgorithm::sha384, E::aes_256_gcm, 32, 4, 8},
      {s::ecdhe_ecdsa_with_chacha20_poly1305_sha256, 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", K::ecdhe,
       A::ecdsa, HashAlgorithm::sha256, E::chacha20_poly1305, 32, 12, 0},
      {s::ecdhe_rsa_with_aes_128_gcm_sha256, 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", K::ecdhe, A::rsa,
       HashAlgorithm::sha256, E::aes_128_gcm, 16, 4, 8},
      {s::ecdhe_rsa_with_aes_256_gcm_sha384, 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", K::ecdhe, A::rsa,
       HashAlgorithm::sha384, E::aes_256_gcm, 32, 4, 8},
      {s::ecdhe_rsa_with_chacha20_poly1305_sha256, 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::ecdhe,
       A::rsa, HashAlgorithm::sha256, E::chacha20_poly1305, 32, 12, 0},
      {s::rsa_with_aes_128_gcm_sha256, 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", K::rsa, A::rsa, HashAlgorithm::sha256,
       E::aes_128_gcm, 16, 4, 8},
      {s::rsa_with_aes_256_gcm_sha384, 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", K::rsa, A::rsa, HashAlgorithm::sha384,
       E::aes_256_gcm, 32, 4, 8},
  };
  for (const auto& e : expected) {
    SCOPED_TRACE(e.name);
    EXPECT_EQ(static_cast<std::uint16_t>(e.suite), e.code);
    const auto found = Tls12Suite::from(static_cast<CipherSuite>(e.code));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->suite(), e.suite);
    EXPECT_EQ(found->name(), e.name);
    EXPECT_EQ(found->key_exchange(), e.kx);
    EXPECT_EQ(found->authentication(), e.auth);
    EXPECT_EQ(found->prf_hash(), e.hash);
    EXPECT_EQ(found->aead(), e.aead);
    EXPECT_EQ(found->key_size(), e.key);
    EXPECT_EQ(found->fixed_iv_size(), e.fixed_iv);
    EXPECT_EQ(found->record_iv_size(), e.record_iv);
  }
}

TEST(Tls12Suite, RefusesEverythingElse) {
  // TLS 1.3 suites, CBC (0xc027, 0x002f), DHE-GCM (0x009e), RC4 (0x0005), the SCSVs, GREASE.
  for (std::uint16_t code : {0x1301, 0x1302, 0x1303, 0xc027, 0x002f, 0x009e, 0x0005, 0x00ff, 0x5600, 0x0a0a, 0x0000}) {
    EXPECT_FALSE(Tls12Suite::from(static_cast<CipherSuite>(code)).has_value()) << std::hex << code;
  }
}

// --- master secret ---

TEST(Tls12MasterSecret, Rfc5246FormMatchesOpenSsl) {
  const auto randoms = example_randoms();
  for (auto cipher_suite :
       {tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256, tls12_suites::rsa_with_aes_256_gcm_sha384}) {
    const auto master = master_for(cipher_suite, /*extended=*/false);
    EXPECT_FALSE(master.extended());
    ASSERT_EQ(master.secret().size(), kTls12MasterSecretSize);
    EXPECT_EQ(bytes_of(master.secret()), openssl_prf(suite(cipher_suite).prf_hash(), kPreMaster, "master secret",
                                                     concat({randoms.client, randoms.server}), 48));
  }
}

TEST(Tls12MasterSecret, ExtendedMasterSecretMatchesOpenSsl) {
  // RFC 7627 §4: the seed is the session hash alone, no randoms.
  for (auto cipher_suite :
       {tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256, tls12_suites::ecdhe_ecdsa_with_aes_256_gcm_sha384}) {
    const auto hash = suite(cipher_suite).prf_hash();
    const auto session_hash = crypto::hash(hash, text("ClientHello..ClientKeyExchange"));
    const auto master = master_for(cipher_suite);
    EXPECT_TRUE(master.extended());
    ASSERT_EQ(master.secret().size(), kTls12MasterSecretSize);
    EXPECT_EQ(bytes_of(master.secret()),
              openssl_prf(hash, kPreMaster, "extended master secret", session_hash.bytes(), 48));
  }
}

TEST(Tls12MasterSecret, ExtendedAndClassicFormsDiffer) {
  const auto suite_id = tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256;
  EXPECT_NE(bytes_of(master_for(suite_id, true).secret()), bytes_of(master_for(suite_id, false).secret()));
}

TEST(Tls12MasterSecret, EcdhePreMasterOfAnyLengthIsUsedWhole) {
  // RFC 8422 §5.10: the pre-master secret is the ECDH x-coordinate (32 bytes for X25519 and P-256,
  // 48 for P-384), not a 48-byte RSA one.
  const Bytes shared(32, 0x3c);
  const auto randoms = example_randoms();
  const auto s = suite(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  auto master = Tls12PreMasterSecret(s, crypto::Secret(shared)).derive_master_secret(randoms);
  EXPECT_EQ(bytes_of(master.secret()),
            openssl_prf(HashAlgorithm::sha256, shared, "master secret", concat({randoms.client, randoms.server}), 48));
  EXPECT_EQ(master.randoms().client, randoms.client);
  EXPECT_EQ(master.randoms().server, randoms.server);
}

// --- key block ---

TEST(Tls12KeyBlock, MatchesOpenSslAndSplitsInRfc5246Order) {
  const auto randoms = example_randoms();
  for (auto cipher_suite :
       {tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256, tls12_suites::ecdhe_rsa_with_aes_256_gcm_sha384,
        tls12_suites::ecdhe_rsa_with_chacha20_poly1305_sha256}) {
    const auto s = suite(cipher_suite);
    SCOPED_TRACE(std::string(s.name()));
    const auto master = master_for(cipher_suite);
    const std::size_t key = s.key_size();
    const std::size_t iv = s.fixed_iv_size();
    // RFC 5246 §6.3: the seed is server_random + client_random (the other order from §8.1).
    const auto expected = openssl_prf(s.prf_hash(), master.secret().bytes(), "key expansion",
                                      concat({randoms.server, randoms.client}), 2 * (key + iv));
    const auto block = master.derive_key_block();
    const auto at = [&](std::size_t offset, std::size_t size) {
      return Bytes(expected.begin() + static_cast<std::ptrdiff_t>(offset),
                   expected.begin() + static_cast<std::ptrdiff_t>(offset + size));
    };
    EXPECT_EQ(bytes_of(block.client.key), at(0, key));
    EXPECT_EQ(bytes_of(block.server.key), at(key, key));
    EXPECT_EQ(bytes_of(block.client.iv), at(2 * key, iv));
    EXPECT_EQ(bytes_of(block.server.iv), at(2 * key + iv, iv));
  }
}

TEST(Tls12KeyBlock, GcmSaltIsFourBytesAndChachaIvTwelve) {
  auto gcm = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256).derive_key_block();
  EXPECT_EQ(gcm.client.key.size(), 16u);
  EXPECT_EQ(gcm.client.iv.size(), 4u);
  EXPECT_EQ(gcm.server.iv.size(), 4u);
  auto chacha = master_for(tls12_suites::ecdhe_ecdsa_with_chacha20_poly1305_sha256).derive_key_block();
  EXPECT_EQ(chacha.client.key.size(), 32u);
  EXPECT_EQ(chacha.client.iv.size(), 12u);
  EXPECT_EQ(chacha.server.iv.size(), 12u);
}

// --- Finished ---

TEST(Tls12Finished, VerifyDataIsTwelveBytesOfThePrf) {
  for (auto cipher_suite :
       {tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256, tls12_suites::ecdhe_rsa_with_aes_256_gcm_sha384}) {
    const auto s = suite(cipher_suite);
    const auto master = master_for(cipher_suite);
    const auto transcript = crypto::hash(s.prf_hash(), text("every handshake message so far"));
    const auto client = master.client_finished_verify_data(transcript);
    const auto server = master.server_finished_verify_data(transcript);
    static_assert(std::tuple_size_v<Tls12VerifyData> == 12);
    EXPECT_EQ(bytes_of(client),
              openssl_prf(s.prf_hash(), master.secret().bytes(), "client finished", transcript.bytes(), 12));
    EXPECT_EQ(bytes_of(server),
              openssl_prf(s.prf_hash(), master.secret().bytes(), "server finished", transcript.bytes(), 12));
    EXPECT_NE(client, server);
  }
}

TEST(Tls12Finished, CorrectVerifyDataIsAccepted) {
  const auto master = master_for(tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256);
  const auto transcript = crypto::hash(HashAlgorithm::sha256, text("transcript"));
  EXPECT_TRUE(master.verify_client_finished(transcript, master.client_finished_verify_data(transcript)));
  EXPECT_TRUE(master.verify_server_finished(transcript, master.server_finished_verify_data(transcript)));
}

TEST(Tls12Finished, WrongVerifyDataIsDecryptError) {
  const auto master = master_for(tls12_suites::ecdhe_rsa_with_aes_128_gcm_sha256);
  const auto transcript = crypto::hash(HashAlgorithm::sha256, text("transcript"));
  const auto good = master.client_finished_verify_data(transcript);
  std::vector<Bytes> wrong;
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes flipped(good.begin(), good.end());
    flipped[i] ^= 0x80;
    wrong.push_back(flipped);
  }
  wrong.push_back(Bytes(good.begin(), good.end() - 1));  // 11 bytes
  Bytes longer(good.begin(), good.end());
  longer.push_back(0);
  wrong.push_back(longer);  // 13 bytes
  wrong.push_back({});
  // The server's verify_data where the client's belongs, and the other transcript's.
  wrong.push_back(bytes_of(master.server_finished_verify_data(transcript)));
  wrong.push_back(bytes_of(master.client_finished_verify_data(crypto::hash(HashAlgorithm::sha256, text("other")))));
  for (const auto& received : wrong) {
    auto status = master.verify_client_finished(transcript, received);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().alert, AlertDescription::decrypt_error);
    EXPECT_NE(status.error().message.find("RFC 5246 §7.4.9"), std::string::npos) << status.error().message;
  }
  auto server = master.verify_server_finished(transcript, good);  // the client's where the server's belongs
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().alert, AlertDescription::decrypt_error);
}

// --- exporter ---

TEST(Tls12Exporter, WithoutContextMatchesOpenSsl) {
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_256_gcm_sha384);
  const auto randoms = example_randoms();
  auto exported = master.export_keying_material("EXPORTER-test", std::nullopt, 42);
  ASSERT_TRUE(exported) << to_string(exported.error());
  EXPECT_EQ(bytes_of(*exported), openssl_prf(HashAlgorithm::sha384, master.secret().bytes(), "EXPORTER-test",
                                             concat({randoms.client, randoms.server}), 42));
}

TEST(Tls12Exporter, WithContextAddsItsSixteenBitLength) {
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  const auto randoms = example_randoms();
  const Bytes context = hex("c0 ff ee");
  auto exported = master.export_keying_material("EXPORTER-test", std::span<const std::uint8_t>(context), 32);
  ASSERT_TRUE(exported) << to_string(exported.error());
  EXPECT_EQ(bytes_of(*exported), openssl_prf(HashAlgorithm::sha256, master.secret().bytes(), "EXPORTER-test",
                                             concat({randoms.client, randoms.server, hex("00 03"), context}), 32));
}

TEST(Tls12Exporter, EmptyContextDiffersFromNoContext) {
  // RFC 5705 §4 (unlike RFC 8446 §7.5): an empty context is still written, as its zero length.
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  auto none = master.export_keying_material("EXPORTER-test", std::nullopt, 32);
  auto empty = master.export_keying_material("EXPORTER-test", std::span<const std::uint8_t>(), 32);
  ASSERT_TRUE(none);
  ASSERT_TRUE(empty);
  EXPECT_NE(bytes_of(*none), bytes_of(*empty));
  const auto randoms = example_randoms();
  EXPECT_EQ(bytes_of(*empty), openssl_prf(HashAlgorithm::sha256, master.secret().bytes(), "EXPORTER-test",
                                          concat({randoms.client, randoms.server, hex("00 00")}), 32));
}

TEST(Tls12Exporter, ReservedLabelsAreRefused) {
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  for (const char* label : {"client finished", "server finished", "master secret", "key expansion",
                            "extended master secret", "master secretary"}) {
    auto exported = master.export_keying_material(label, std::nullopt, 12);
    ASSERT_FALSE(exported) << label;
    EXPECT_EQ(exported.error().alert, AlertDescription::internal_error);
    EXPECT_NE(exported.error().message.find("RFC 5705 §6"), std::string::npos);
  }
  EXPECT_TRUE(master.export_keying_material("EXPORTER master secret", std::nullopt, 12));
}

TEST(Tls12Exporter, ContextOver65535BytesIsRefused) {
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  const Bytes too_long(65536, 1);
  auto refused = master.export_keying_material("EXPORTER-test", std::span<const std::uint8_t>(too_long), 16);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().alert, AlertDescription::internal_error);
  const Bytes longest(65535, 1);
  EXPECT_TRUE(master.export_keying_material("EXPORTER-test", std::span<const std::uint8_t>(longest), 16));
}

TEST(Tls12KeyLog, ClientRandomLine) {
  // NSS key log format: "CLIENT_RANDOM <client_random> <master_secret>", what Wireshark reads for 1.2.
  const auto master = master_for(tls12_suites::ecdhe_ecdsa_with_aes_128_gcm_sha256);
  const auto line = format_keylog_line(keylog::kClientRandom, master.randoms().client, master.secret().bytes());
  EXPECT_EQ(line.rfind("CLIENT_RANDOM 000102030405", 0), 0u) << line;
  EXPECT_EQ(line.size(), std::string("CLIENT_RANDOM").size() + 1 + 64 + 1 + 96);
}

}  // namespace
}  // namespace duplex::tls
