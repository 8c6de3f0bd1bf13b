#include "duplex/util/byte_buffer.hpp"

#include <gtest/gtest.h>

#include "duplex/util/byte_reader.hpp"

namespace duplex {
namespace {

TEST(ByteBuffer, ConsumesFromTheFrontAndKeepsOrder) {
  ByteBuffer buffer;
  buffer.append("hello ");
  buffer.append("world");
  buffer.consume(6);
  EXPECT_EQ(as_text(buffer.data()), "world");
  buffer.append("!");
  EXPECT_EQ(as_text(buffer.data()), "world!");
  buffer.consume(6);
  EXPECT_TRUE(buffer.empty());
}

TEST(ByteBuffer, ReleasesMemoryWhenEmpty) {
  ByteBuffer buffer;
  buffer.append(std::string(100000, 'x'));
  buffer.consume(100000);
  buffer.release_if_large(4096);
  EXPECT_EQ(buffer.capacity(), 0u);
}

TEST(ByteReader, NeverReadsPastTheEnd) {
  const std::uint8_t bytes[] = {0x12, 0x34, 0x56};
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_u16(), 0x1234);
  EXPECT_FALSE(reader.read_u16().has_value());
  EXPECT_EQ(reader.remaining(), 1u);
  EXPECT_EQ(reader.read_u8(), 0x56);
  EXPECT_FALSE(reader.read_bytes(1).has_value());
}

}  // namespace
}  // namespace duplex
