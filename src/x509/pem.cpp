#include "duplex/x509/pem.hpp"

#include "duplex/util/base64.hpp"

namespace duplex::x509 {

std::string_view describe(PemError error) {
  switch (error) {
    case PemError::missing_end: return "a PEM block has no END line";
    case PemError::label_mismatch: return "a PEM END line names another label than its BEGIN line";
    case PemError::bad_label: return "a PEM label has characters RFC 7468 does not allow";
    case PemError::bad_base64: return "a PEM body is not valid base64";
    case PemError::headers: return "a PEM block has headers (an encrypted key?), which are not supported";
    case PemError::no_block: return "no PEM block of the expected kind was found";
  }
  return "unknown PEM error";
}

namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view line) {
  while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
  while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
  return line;
}

// RFC 7468 §3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E.
bool is_label_char(char c) { return c >= 0x21 && c <= 0x7e && c != '-'; }

bool is_valid_label(std::string_view label) {
  for (std::size_t i = 0; i < label.size(); ++i) {
    if (is_label_char(label[i])) continue;
    // A hyphen or space only between two label characters.
    const bool separator = label[i] == '-' || label[i] == ' ';
    if (!separator || i == 0 || i + 1 == label.size() || !is_label_char(label[i + 1])) return false;
  }
  return true;
}

// Splits `text` into lines (without their LF) one at a time.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (position_ > text_.size()) return false;
    const std::size_t end = text_.find('\n', position_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    line = text_.substr(position_, stop - position_);
    position_ = stop + 1;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

// If `line` is "<prefix>LABEL-----" (with trailing blanks), LABEL.
std::optional<std::string_view> boundary_label(std::string_view line, std::string_view prefix) {
  line = trim(line);
  if (!line.starts_with(prefix) || !line.ends_with(kDashes) || line.size() < prefix.size() + kDashes.size())
    return std::nullopt;
  return line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size());
}

}  // namespace

Result<std::vector<PemBlock>, PemError> parse_pem(std::string_view text) {
  std::vector<PemBlock> blocks;
  Lines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    // RFC 7468 §2: BEGIN starts its line; anything else outside a block is explanatory text.
    if (!line.starts_with(kBegin)) continue;
    auto label = boundary_label(line, kBegin);
    if (!label) continue;
    if (!is_valid_label(*label)) return fail(PemError::bad_label);
    std::string body;
    bool ended = false;
    while (lines.next(line)) {
      if (auto end = boundary_label(line, kEnd)) {
        if (*end != *label) return fail(PemError::label_mismatch);
        ended = true;
        break;
      }
      const std::string_view content = trim(line);
      if (content.find(':') != std::string_view::npos) return fail(PemError::headers);
      body += content;
    }
    if (!ended) return fail(PemError::missing_end);
    // Strict base64 on the joined lines: white space inside a line makes it fail.
    auto der = base64_decode(body);
    if (!der) return fail(PemError::bad_base64);
    blocks.push_back({std::string(*label), std::move(*der)});
  }
  return blocks;
}

Result<std::vector<std::vector<std::uint8_t>>, PemError> pem_certificates(std::string_view text) {
  auto blocks = parse_pem(text);
  if (!blocks) return fail(blocks.error());
  std::vector<std::vector<std::uint8_t>> certificates;
  for (auto& block : *blocks)
    if (block.label == "CERTIFICATE") certificates.push_back(std::move(block.der));
  if (certificates.empty()) return fail(PemError::no_block);
  return certificates;
}

Result<PemPrivateKey, PemError> pem_private_key(std::string_view text) {
  auto blocks = parse_pem(text);
  if (!blocks) return fail(blocks.error());
  for (auto& block : *blocks) {
    if (block.label == "PRIVATE KEY") return PemPrivateKey{PrivateKeyFormat::pkcs8, std::move(block.der)};
    if (block.label == "EC PRIVATE KEY") return PemPrivateKey{PrivateKeyFormat::ec, std::move(block.der)};
    if (block.label == "RSA PRIVATE KEY") return PemPrivateKey{PrivateKeyFormat::rsa, std::move(block.der)};
  }
  return fail(PemError::no_block);
}

std::string write_pem(std::string_view label, std::span<const std::uint8_t> der) {
  const std::string body = base64_encode(der);
  std::string out = std::string(kBegin) + std::string(label) + std::string(kDashes) + "\n";
  for (std::size_t i = 0; i < body.size(); i += 64) {
    out.append(body, i, 64);
    out += '\n';
  }
  out += std::string(kEnd) + std::string(label) + std::string(kDashes) + "\n";
  return out;
}

}  // namespace duplex::x509
