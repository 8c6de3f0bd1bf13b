// A small command-line option reader shared by the subcommands: `--name VALUE`, `--name=VALUE`,
// `--flag`, and positional arguments. Errors are values with a sentence for standard error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"

namespace duplex::tool {

struct OptionSpec {
  std::set<std::string, std::less<>> with_value;  // e.g. "--listen"
  std::set<std::string, std::less<>> flags;       // e.g. "--plain"
};

class Options {
 public:
  static Result<Options> parse(std::span<const std::string_view> args, const OptionSpec& spec);

  bool has(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;  // the last one given
  std::vector<std::string> values(std::string_view name) const;   // all, in order
  const std::vector<std::string>& positional() const { return positional_; }

  // Typed reads: a missing option yields `fallback`; a malformed one an error naming it.
  Result<std::uint64_t> unsigned_value(std::string_view name, std::uint64_t fallback) const;
  Result<double> seconds_value(std::string_view name, double fallback) const;

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> flags_;
  std::vector<std::string> positional_;
};

// Splits "HOST:PORT" or "[V6]:PORT".
Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text);

}  // namespace duplex::tool
