#include "options.hpp"

#include <charconv>

namespace duplex::tool {

Result<Options> Options::parse(std::span<const std::string_view> args, const OptionSpec& spec) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--") || arg == "--") {
      options.positional_.emplace_back(arg);
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (spec.flags.contains(name) && !inline_value) {
      options.flags_.emplace(name);
    } else if (spec.with_value.contains(name)) {
      if (inline_value) {
        options.values_.emplace(std::string(name), std::string(*inline_value));
      } else if (i + 1 < args.size()) {
        options.values_.emplace(std::string(name), std::string(args[++i]));
      } else {
        return fail(Error{2, std::string(name) + " needs a value"});
      }
    } else {
      return fail(Error{2, "unknown option " + std::string(arg)});
    }
  }
  return options;
}

bool Options::has(std::string_view name) const {
  return flags_.contains(name) || values_.find(name) != values_.end();
}

std::optional<std::string> Options::value(std::string_view name) const {
  auto [first, last] = values_.equal_range(name);
  if (first == last) return std::nullopt;
  return std::prev(last)->second;
}

std::vector<std::string> Options::values(std::string_view name) const {
  std::vector<std::string> out;
  auto [first, last] = values_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

Result<std::uint64_t> Options::unsigned_value(std::string_view name, std::uint64_t fallback) const {
  auto text = value(name);
  if (!text) return fallback;
  std::uint64_t number = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (ec != std::errc{} || end != text->data() + text->size())
    return fail(Error{2, std::string(name) + " wants a whole number, not '" + *text + "'"});
  return number;
}

Result<double> Options::seconds_value(std::string_view name, double fallback) const {
  auto text = value(name);
  if (!text) return fallback;
  double number = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (ec != std::errc{} || end != text->data() + text->size() || number < 0)
    return fail(Error{2, std::string(name) + " wants a number of seconds, not '" + *text + "'"});
  return number;
}

Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) return fail(Error{2, "expected [ADDRESS]:PORT, got " + std::string(text)});
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail(Error{2, "expected HOST:PORT, got " + std::string(text)});
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (host.empty() || ec != std::errc{} || end != port.data() + port.size() || number > 65535)
    return fail(Error{2, "expected HOST:PORT with a port from 0 to 65535, got " + std::string(text)});
  return std::pair{std::string(host), static_cast<std::uint16_t>(number)};
}

}  // namespace duplex::tool
