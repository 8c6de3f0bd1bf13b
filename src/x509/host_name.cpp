// RFC 9525 §6.3 DNS name matching, RFC 1123 host name syntax, RFC 4291 address text.
#include "duplex/x509/host_name.hpp"

namespace duplex::x509 {

namespace {

bool is_ldh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string_view without_trailing_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<unsigned> parse_hex16(std::string_view group) {
  if (group.empty() || group.size() > 4) return std::nullopt;
  unsigned value = 0;
  for (const char c : group) {
    unsigned digit;
    if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_valid_dns_name(std::string_view name) {
  name = without_trailing_dot(name);
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label)
      if (!is_ldh(c)) return false;
    start = end + 1;
  }
  return true;
}

bool is_valid_presented_dns_name(std::string_view name) {
  if (name.starts_with("*.")) {
    const std::string_view rest = without_trailing_dot(name.substr(2));
    // Q: Why refuse "*.com" but take "*.co.uk"?
    // A: Without a public suffix list we can only refuse wildcards over a single label, which is
    //    what Go and webpki do too; browsers also consult the PSL.
    return is_valid_dns_name(rest) && rest.find('.') != std::string_view::npos;
  }
  return is_valid_dns_name(name);
}

bool matches_dns_name(std::string_view presented, std::string_view reference) {
  if (!is_valid_presented_dns_name(presented) || !is_valid_dns_name(reference)) return false;
  presented = without_trailing_dot(presented);
  reference = without_trailing_dot(reference);
  if (!presented.starts_with("*.")) return equal_ignoring_case(presented, reference);
  // RFC 9525 §6.3 (2): "*" matches exactly one whole leftmost label, never none.
  const std::size_t dot = reference.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  return equal_ignoring_case(presented.substr(2), reference.substr(dot + 1));
}

std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  std::size_t part = 0, start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view digits = text.substr(start, end - start);
    if (part == 4 || digits.empty() || digits.size() > 3) return std::nullopt;
    if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // no octal-looking zeros
    unsigned value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return std::nullopt;
    out[part++] = static_cast<std::uint8_t>(value);
    if (end == text.size()) break;
    start = end + 1;
  }
  if (part != 4) return std::nullopt;
  return out;
}

std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text) {
  std::vector<unsigned> head, tail;
  bool compressed = false;
  if (const auto gap = text.find("::"); gap != std::string_view::npos) {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    compressed = true;
  }
  std::array<std::uint8_t, 16> out{};
  auto parse_groups = [](std::string_view part, std::vector<unsigned>& groups, bool allow_v4) -> bool {
    if (part.empty()) return true;
    std::size_t start = 0;
    while (true) {
      std::size_t end = part.find(':', start);
      const bool last = end == std::string_view::npos;
      if (last) end = part.size();
      const std::string_view group = part.substr(start, end - start);
      if (last && allow_v4 && group.find('.') != std::string_view::npos) {
        auto v4 = parse_ipv4(group);
        if (!v4) return false;
        groups.push_back((unsigned{(*v4)[0]} << 8) | (*v4)[1]);
        groups.push_back((unsigned{(*v4)[2]} << 8) | (*v4)[3]);
        return true;
      }
      auto value = parse_hex16(group);
      if (!value) return false;
      groups.push_back(*value);
      if (last) return true;
      start = end + 1;
    }
  };
  if (compressed) {
    const auto gap = text.find("::");
    if (!parse_groups(text.substr(0, gap), head, false) || !parse_groups(text.substr(gap + 2), tail, true))
      return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!parse_groups(text, head, true) || head.size() != 8) return std::nullopt;
  }
  std::size_t index = 0;
  for (const unsigned group : head) {
    out[index++] = static_cast<std::uint8_t>(group >> 8);
    out[index++] = static_cast<std::uint8_t>(group & 0xff);
  }
  index = 16 - 2 * tail.size();
  for (const unsigned group : tail) {
    out[index++] = static_cast<std::uint8_t>(group >> 8);
    out[index++] = static_cast<std::uint8_t>(group & 0xff);
  }
  return out;
}

std::optional<PeerName> parse_peer_name(std::string_view text) {
  if (auto v4 = parse_ipv4(text)) return PeerName{IpAddress{{v4->begin(), v4->end()}}};
  if (text.find(':') != std::string_view::npos) {
    if (auto v6 = parse_ipv6(text)) return PeerName{IpAddress{{v6->begin(), v6->end()}}};
    return std::nullopt;
  }
  if (!is_valid_dns_name(text)) return std::nullopt;
  // A name of digits and dots only is a malformed address, not a host name (RFC 1123 §2.1).
  bool all_numeric = true;
  for (const char c : text)
    if (c != '.' && (c < '0' || c > '9')) all_numeric = false;
  if (all_numeric) return std::nullopt;
  return PeerName{DnsName{ascii_lower(without_trailing_dot(text))}};
}

}  // namespace duplex::x509
