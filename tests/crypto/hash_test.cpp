#include "duplex/crypto/hash.hpp"

#include <gtest/gtest.h>

#include "crypto_test_support.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

// FIPS 180-2 appendix B.1 / D.1 / C.1: "abc".
TEST(Hash, Sha256MatchesFips180Abc) {
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha256, as_bytes("abc")).bytes()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, Sha384MatchesFips180Abc) {
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha384, as_bytes("abc")).bytes()),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
}

TEST(Hash, Sha512MatchesFips180Abc) {
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha512, as_bytes("abc")).bytes()),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Hash, IncrementalEqualsOneShot) {
  Hash h(HashAlgorithm::sha384);
  h.update(as_bytes("a"));
  h.update(as_bytes(""));
  h.update(as_bytes("bc"));
  EXPECT_EQ(h.current(), hash(HashAlgorithm::sha384, as_bytes("abc")));
  EXPECT_EQ(h.finish(), hash(HashAlgorithm::sha384, as_bytes("abc")));
  // finish() restarts from empty.
  EXPECT_EQ(h.finish(), hash(HashAlgorithm::sha384, {}));
}

TEST(Hash, CurrentDoesNotDisturbTheState) {
  Hash h(HashAlgorithm::sha256);
  h.update(as_bytes("ab"));
  (void)h.current();
  h.update(as_bytes("c"));
  EXPECT_EQ(h.current(), hash(HashAlgorithm::sha256, as_bytes("abc")));
}

TEST(Hash, CopyForksTheTranscript) {
  Hash transcript(HashAlgorithm::sha256);
  transcript.update(as_bytes("ab"));
  Hash fork = transcript;
  fork.update(as_bytes("c"));
  transcript.update(as_bytes("x"));
  EXPECT_EQ(fork.finish(), hash(HashAlgorithm::sha256, as_bytes("abc")));
  EXPECT_EQ(transcript.finish(), hash(HashAlgorithm::sha256, as_bytes("abx")));
  Hash assigned(HashAlgorithm::sha384);
  assigned = fork;
  EXPECT_EQ(assigned.algorithm(), HashAlgorithm::sha256);
  Hash moved = std::move(assigned);
  moved.update(as_bytes("abc"));
  EXPECT_EQ(moved.finish(), hash(HashAlgorithm::sha256, as_bytes("abc")));
}

TEST(Hash, DigestSizesAndNames) {
  EXPECT_EQ(digest_size(HashAlgorithm::sha256), 32u);
  EXPECT_EQ(digest_size(HashAlgorithm::sha384), 48u);
  EXPECT_EQ(hash(HashAlgorithm::sha384, {}).size(), 48u);
  EXPECT_EQ(to_string(HashAlgorithm::sha384), "SHA-384");
}

}  // namespace
}  // namespace duplex::crypto
