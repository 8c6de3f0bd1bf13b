// RSA key transport (RFC 5246 §7.4.7.1): a good pre-master secret round-trips; every bad one
// (wrong version bytes, bad padding, wrong length, noise) gives 48 bytes that are not it, with no
// error; and what OpenSSL 3.0's TLS padding mode itself reports, checked against libcrypto
// directly, so that a change in a later OpenSSL shows up here.
#include "duplex/crypto/rsa_key_transport.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

#include "duplex/crypto/error.hpp"
#include "duplex/crypto/random.hpp"

namespace duplex::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const Secret& secret) { return Bytes(secret.bytes().begin(), secret.bytes().end()); }

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

// One RSA-2048 key per test program (generation takes a while).
const PrivateKey& rsa_key() {
  static const PrivateKey key = [] {
    auto generated = PrivateKey::generate(KeyType::rsa);
    if (!generated) throw std::runtime_error(generated.error().message);
    return std::move(generated).value();
  }();
  return key;
}
constexpr std::size_t kModulusSize = 256;

// The same key as libcrypto objects of the test's own, for building and checking ciphertexts
// without the code under test.
Pkey libcrypto_public_key() {
  const auto der = rsa_key().public_key().spki_der();
  const unsigned char* cursor = der.data();
  return Pkey(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
}
Pkey libcrypto_private_key() {
  auto der = rsa_key().pkcs8_der();
  const unsigned char* cursor = der->bytes().data();
  return Pkey(d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der->size())));
}

// Raw RSA (no padding) of a modulus-sized block: how a test writes any padding it likes.
Bytes raw_rsa_encrypt(const Bytes& block) {
  auto key = libcrypto_public_key();
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  std::size_t length = kModulusSize;
  Bytes out(kModulusSize);
  EXPECT_EQ(EVP_PKEY_encrypt_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING), 1);
  EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), out.data(), &length, block.data(), block.size()), 1);
  return out;
}

// 00 02 || non-zero padding || 00 || message: PKCS #1 v1.5 type 2 by hand (RFC 3447 §7.2.1).
Bytes type2_block(const Bytes& message) {
  Bytes block(kModulusSize, 0x5a);
  block[0] = 0x00;
  block[1] = 0x02;
  block[kModulusSize - message.size() - 1] = 0x00;
  std::copy(message.begin(), message.end(), block.end() - static_cast<std::ptrdiff_t>(message.size()));
  return block;
}

Bytes premaster_bytes(std::uint16_t version) {
  Bytes pms(48, 0xc3);
  pms[0] = static_cast<std::uint8_t>(version >> 8);
  pms[1] = static_cast<std::uint8_t>(version);
  return pms;
}

// What libcrypto's TLS padding mode itself returns: 1 and the output, or 0.
struct LibcryptoAnswer {
  int result;
  std::size_t length;
};
LibcryptoAnswer libcrypto_tls_decrypt(const Bytes& ciphertext, unsigned int client_version) {
  auto key = libcrypto_private_key();
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  EXPECT_EQ(EVP_PKEY_decrypt_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_WITH_TLS_PADDING), 1);
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &client_version),
                               OSSL_PARAM_construct_end()};
  EXPECT_EQ(EVP_PKEY_CTX_set_params(ctx.get(), params), 1);
  Bytes out(48);
  std::size_t length = out.size();
  const int result = EVP_PKEY_decrypt(ctx.get(), out.data(), &length, ciphertext.data(), ciphertext.size());
  ERR_clear_error();
  return {result, length};
}

// The property every bad input must have: 48 bytes, not the secret the attacker aimed at.
void expect_random_stand_in(const Bytes& ciphertext, std::uint16_t client_version, const Bytes& aimed_at) {
  ERR_clear_error();
  const auto got = decrypt_tls_premaster(rsa_key(), ciphertext, client_version);
  ASSERT_EQ(got.size(), kTlsPreMasterSecretSize);
  EXPECT_NE(bytes_of(got), aimed_at);
  // Nothing left in libcrypto's error queue for anyone to print.
  EXPECT_EQ(ERR_peek_error(), 0u);
}

// --- the good path ---

TEST(RsaKeyTransport, MakePremasterStartsWithClientVersion) {
  const auto a = make_tls_premaster(0x0303);
  const auto b = make_tls_premaster(0x0303);
  ASSERT_EQ(a.size(), 48u);
  EXPECT_EQ(a.bytes()[0], 0x03);
  EXPECT_EQ(a.bytes()[1], 0x03);
  EXPECT_NE(bytes_of(a), bytes_of(b));  // 46 random bytes each
}

TEST(RsaKeyTransport, GoodPremasterRoundTripsExactly) {
  const auto pms = make_tls_premaster(0x0303);
  auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), pms);
  ASSERT_TRUE(ciphertext) << ciphertext.error().message;
  EXPECT_EQ(ciphertext->size(), kModulusSize);
  EXPECT_EQ(bytes_of(decrypt_tls_premaster(rsa_key(), *ciphertext, 0x0303)), bytes_of(pms));
  // Deterministic for a good ciphertext: the same secret every time.
  EXPECT_EQ(bytes_of(decrypt_tls_premaster(rsa_key(), *ciphertext, 0x0303)), bytes_of(pms));
}

TEST(RsaKeyTransport, EncryptionIsRandomized) {
  // RFC 3447 §7.2.1: the padding string is random, so one secret never gives the same bytes twice.
  const auto pms = make_tls_premaster(0x0303);
  auto a = encrypt_tls_premaster(rsa_key().public_key(), pms);
  auto b = encrypt_tls_premaster(rsa_key().public_key(), pms);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(RsaKeyTransport, HandMadeType2BlockDecrypts) {
  // A ciphertext made without encrypt_tls_premaster (padding written by hand, raw RSA) opens.
  const auto pms = premaster_bytes(0x0303);
  EXPECT_EQ(bytes_of(decrypt_tls_premaster(rsa_key(), raw_rsa_encrypt(type2_block(pms)), 0x0303)), pms);
}

TEST(RsaKeyTransport, EncryptRefusesNonRsaKeyAndWrongLength) {
  auto ec = PrivateKey::generate(KeyType::ecdsa_p256);
  ASSERT_TRUE(ec);
  auto not_rsa = encrypt_tls_premaster(ec->public_key(), make_tls_premaster(0x0303));
  ASSERT_FALSE(not_rsa);
  EXPECT_EQ(crypto_error_of(not_rsa.error()), CryptoError::invalid_key);
  auto short_secret = encrypt_tls_premaster(rsa_key().public_key(), Secret(Bytes(47, 3)));
  ASSERT_FALSE(short_secret);
  EXPECT_EQ(crypto_error_of(short_secret.error()), CryptoError::invalid_length);
}

// --- every bad input: 48 bytes that are not the secret, and no error ---

TEST(RsaKeyTransport, WrongClientVersionBytesGiveRandomBytes) {
  // RFC 5246 §7.4.7.1 and Klima-Pokorny-Rosa: a version mismatch is treated as bad padding.
  for (std::uint16_t inside : {0x0302, 0x0301, 0x0300, 0x0304, 0x0003, 0x0000}) {
    const auto pms = premaster_bytes(inside);
    auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), Secret(pms));
    ASSERT_TRUE(ciphertext);
    expect_random_stand_in(*ciphertext, 0x0303, pms);
  }
  // And the other way: the right bytes inside, another version in the ClientHello.
  const auto pms = premaster_bytes(0x0303);
  auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), Secret(pms));
  ASSERT_TRUE(ciphertext);
  expect_random_stand_in(*ciphertext, 0x0302, pms);
}

TEST(RsaKeyTransport, CorruptedPaddingGivesRandomBytes) {
  const auto pms = premaster_bytes(0x0303);
  std::vector<Bytes> blocks;
  auto wrong_first = type2_block(pms);
  wrong_first[0] = 0x01;  // not 00 (and still below the modulus, whose top byte is 0x80 or more)
  blocks.push_back(wrong_first);
  auto block_type_1 = type2_block(pms);
  block_type_1[1] = 0x01;  // a signature's block type
  blocks.push_back(block_type_1);
  auto short_padding = type2_block(pms);
  short_padding[5] = 0x00;  // a zero byte inside the first 8 of the padding
  blocks.push_back(short_padding);
  auto no_separator = type2_block(pms);
  no_separator[kModulusSize - 49] = 0x11;  // no zero byte before the message
  blocks.push_back(no_separator);
  blocks.push_back(type2_block(Bytes(pms.begin() + 1, pms.end())));  // a 47-byte message
  Bytes longer_message = pms;
  longer_message.insert(longer_message.begin(), 0x03);
  blocks.push_back(type2_block(longer_message));  // a 49-byte message
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    SCOPED_TRACE(i);
    const auto ciphertext = raw_rsa_encrypt(blocks[i]);
    expect_random_stand_in(ciphertext, 0x0303, pms);
    // Whatever 48 bytes sat at the end of the block, the secret is not them either.
    const Bytes tail(blocks[i].end() - 48, blocks[i].end());
    EXPECT_NE(bytes_of(decrypt_tls_premaster(rsa_key(), ciphertext, 0x0303)), tail);
  }
}

TEST(RsaKeyTransport, CorruptedCiphertextGivesRandomBytes) {
  const auto pms = make_tls_premaster(0x0303);
  auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), pms);
  ASSERT_TRUE(ciphertext);
  for (std::size_t at : {std::size_t{0}, std::size_t{1}, std::size_t{100}, kModulusSize - 1}) {
    auto corrupted = *ciphertext;
    corrupted[at] ^= 0x01;
    expect_random_stand_in(corrupted, 0x0303, bytes_of(pms));
  }
}

TEST(RsaKeyTransport, CiphertextOfTheWrongLengthGivesRandomBytes) {
  const auto pms = make_tls_premaster(0x0303);
  auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), pms);
  ASSERT_TRUE(ciphertext);
  Bytes shorter(ciphertext->begin(), ciphertext->end() - 1);
  Bytes longer = *ciphertext;
  longer.push_back(0x00);
  Bytes leading_zero = *ciphertext;
  leading_zero.insert(leading_zero.begin(), 0x00);
  for (const auto& bad : {shorter, longer, leading_zero, Bytes{}, Bytes(1, 0x01), Bytes(4096, 0x01)})
    expect_random_stand_in(bad, 0x0303, bytes_of(pms));
}

TEST(RsaKeyTransport, RandomCiphertextGivesRandomBytes) {
  const auto pms = premaster_bytes(0x0303);
  for (int i = 0; i < 8; ++i) {
    Bytes noise(kModulusSize);
    random_bytes(noise);
    noise[0] &= 0x7f;  // below the modulus, so libcrypto decrypts it and the padding check decides
    expect_random_stand_in(noise, 0x0303, pms);
  }
  expect_random_stand_in(Bytes(kModulusSize, 0xff), 0x0303, pms);  // above the modulus
}

TEST(RsaKeyTransport, NonRsaKeyGivesRandomBytes) {
  auto ec = PrivateKey::generate(KeyType::ecdsa_p256);
  ASSERT_TRUE(ec);
  const auto got = decrypt_tls_premaster(*ec, Bytes(kModulusSize, 0x01), 0x0303);
  EXPECT_EQ(got.size(), 48u);
}

TEST(RsaKeyTransport, SameBadCiphertextGivesFreshRandomBytesEachTime) {
  // OpenSSL 3.0's TLS padding check (ossl_rsa_padding_check_PKCS1_type_2_TLS) draws new random
  // bytes on every call (RAND_priv_bytes_ex): not the deterministic implicit rejection of 3.2's
  // plain PKCS #1 v1.5 mode. Our own stand-in for libcrypto's errors is fresh each call too. Two
  // 48-byte draws colliding has probability 2^-384.
  const auto pms = premaster_bytes(0x0302);
  auto wrong_version = encrypt_tls_premaster(rsa_key().public_key(), Secret(pms));
  ASSERT_TRUE(wrong_version);
  const Bytes above_modulus(kModulusSize, 0xff);  // an error inside libcrypto: our own R
  for (const auto& bad : {*wrong_version, raw_rsa_encrypt(type2_block(Bytes(47, 3))), above_modulus}) {
    const auto first = bytes_of(decrypt_tls_premaster(rsa_key(), bad, 0x0303));
    const auto second = bytes_of(decrypt_tls_premaster(rsa_key(), bad, 0x0303));
    EXPECT_NE(first, second);
  }
}

// --- what libcrypto itself reports, which the comments in rsa_key_transport.hpp rely on ---

TEST(RsaKeyTransportLibcrypto, BadPaddingAndVersionAreReportedAsSuccess) {
  // rsa_pk1.c: "whether we actually succeeded or not, return success" — 48 bytes either way.
  const auto pms = premaster_bytes(0x0303);
  for (const auto& block : {type2_block(pms), type2_block(premaster_bytes(0x0302)), type2_block(Bytes(47, 3))}) {
    const auto answer = libcrypto_tls_decrypt(raw_rsa_encrypt(block), 0x0303);
    EXPECT_EQ(answer.result, 1);
    EXPECT_EQ(answer.length, 48u);
  }
  auto bad_first_bytes = type2_block(pms);
  bad_first_bytes[1] = 0x01;
  EXPECT_EQ(libcrypto_tls_decrypt(raw_rsa_encrypt(bad_first_bytes), 0x0303).result, 1);
}

TEST(RsaKeyTransportLibcrypto, OnlyPubliclyInvalidCiphertextsAreErrors) {
  auto ciphertext = encrypt_tls_premaster(rsa_key().public_key(), make_tls_premaster(0x0303));
  ASSERT_TRUE(ciphertext);
  Bytes longer = *ciphertext;
  longer.push_back(0);
  // Longer than the modulus, or not below it: the raw RSA step refuses (rsa_ossl.c), an error.
  EXPECT_NE(libcrypto_tls_decrypt(longer, 0x0303).result, 1);
  EXPECT_NE(libcrypto_tls_decrypt(Bytes(kModulusSize, 0xff), 0x0303).result, 1);
  // Shorter is read as a smaller number and decrypted: the padding check then decides (success).
  Bytes shorter(ciphertext->begin() + 1, ciphertext->end());
  EXPECT_EQ(libcrypto_tls_decrypt(shorter, 0x0303).result, 1);
  // rsa_enc.c: a client version of 0 is refused (PROV_R_BAD_TLS_CLIENT_VERSION).
  EXPECT_NE(libcrypto_tls_decrypt(*ciphertext, 0).result, 1);
}

}  // namespace
}  // namespace duplex::crypto
