// Arbitrary certificates through path building and validation. The input is up to four DER
// certificates separated by "\n--\n": the leaf, then intermediates, the last one also the only
// trust anchor. Nothing may crash, hang or read out of bounds; a failure carries a sentence and a
// certificate index inside the path tried.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "duplex/x509/verify.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duplex::x509;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::vector<std::uint8_t>> chain;
  for (std::size_t start = 0; start <= input.size() && chain.size() < 4;) {
    std::size_t end = input.find("\n--\n", start);
    if (end == std::string_view::npos) end = input.size();
    chain.emplace_back(data + start, data + end);
    start = end + 4;
  }
  TrustStore roots;
  roots.add_der(chain.back());
  for (const bool explain : {false, true}) {
    VerifyOptions options{.roots = &roots, .peer_name = "example.com", .time = 1700000000, .explain = explain};
    options.budget.signatures = 20;
    auto result = verify_certificate_chain(chain, options);
    if (result) {
      check(!result->certificates.empty() && result->certificates.size() <= 2 * options.max_intermediates + 3);
    } else {
      check(!result.error().message().empty());
      for (const auto& attempt : result.error().attempts) check(attempt.certificate_index < attempt.subjects.size() + 1);
    }
  }
  return 0;
}
