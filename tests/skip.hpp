// GoogleTest's side of tests/skip.sh: a test whose peer or environment is missing skips locally
// with a sentence, and fails in CI (CI=true, what .ci/run sets) or with DUPLEX_REQUIRE_PEERS=1.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace duplex::test {

inline bool peers_required() {
  const char* ci = std::getenv("CI");
  const char* require = std::getenv("DUPLEX_REQUIRE_PEERS");
  const std::string_view ci_value = ci ? ci : "";
  return ci_value == "true" || ci_value == "TRUE" || ci_value == "True" || (require && std::string_view(require) == "1");
}

}  // namespace duplex::test

// Use as a statement in a TEST body: returns from it, skipped or failed.
#define DUPLEX_SKIP_OR_FAIL(reason)                                                         \
  do {                                                                                      \
    if (::duplex::test::peers_required())                                                   \
      GTEST_FAIL() << (reason) << " (missing things fail when CI=true or DUPLEX_REQUIRE_PEERS=1)"; \
    else                                                                                    \
      GTEST_SKIP() << (reason);                                                             \
  } while (false)
