// Arbitrary bytes through the extension decoders, name constraints and host-name matching. The
// first byte picks the decoder, the rest is its input (an extnValue). Nothing may crash or read
// out of bounds; every failure must carry a sentence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "duplex/x509/extensions.hpp"
#include "duplex/x509/host_name.hpp"
#include "duplex/x509/name_constraints.hpp"

namespace {

using namespace duplex::x509;

void check(bool condition) {
  if (!condition) std::abort();
}

template <typename R>
void expect_sentence(const R& result) {
  if (!result) check(!result.error().message().empty());
}

void names_against_constraints(std::span<const std::uint8_t> input) {
  // The same bytes as constraints and as names: both decoders and the comparisons run.
  auto constraints = parse_name_constraints(input);
  auto names = parse_general_names(input, "subjectAltName");
  if (!constraints || !names) return;
  (void)check_constraints_syntax(*constraints);
  std::uint32_t budget = 10000;
  Certificate empty;
  (void)check_name_constraints(*constraints, empty, *names, budget);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  switch (data[0] % 12) {
    case 0: expect_sentence(parse_general_names(input, "subjectAltName")); break;
    case 1: expect_sentence(parse_basic_constraints(input)); break;
    case 2: expect_sentence(parse_key_usage(input)); break;
    case 3: expect_sentence(parse_extended_key_usage(input)); break;
    case 4: {
      auto constraints = parse_name_constraints(input);
      expect_sentence(constraints);
      if (constraints) check(constraints->permitted || constraints->excluded);
      break;
    }
    case 5: expect_sentence(parse_authority_key_identifier(input)); break;
    case 6: expect_sentence(parse_subject_key_identifier(input)); break;
    case 7: expect_sentence(parse_crl_distribution_points(input)); break;
    case 8: expect_sentence(parse_authority_info_access(input)); break;
    case 9: expect_sentence(parse_certificate_policies(input)); break;
    case 10: names_against_constraints(input); break;
    case 11: {
      // Host names: a presented name (up to the first NUL) against a reference name.
      const auto split = text.find('\0');
      const std::string_view presented = text.substr(0, split);
      const std::string_view reference = split == std::string_view::npos ? text : text.substr(split + 1);
      const bool matched = matches_dns_name(presented, reference);
      if (matched) check(is_valid_dns_name(reference) && is_valid_presented_dns_name(presented));
      if (auto peer = parse_peer_name(reference); peer && std::holds_alternative<IpAddress>(*peer)) {
        const auto size = std::get<IpAddress>(*peer).bytes.size();
        check(size == 4 || size == 16);
      }
      break;
    }
  }
  return 0;
}
