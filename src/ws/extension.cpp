#include "duplex/ws/extension.hpp"

#include "duplex/http/head.hpp"

namespace duplex::ws {
namespace {

// Reads RFC 6455 §9.1's grammar left to right, with the optional white space HTTP allows
// between its elements (RFC 9110 §5.6.3).
class ExtensionReader {
 public:
  explicit ExtensionReader(std::string_view text) : text_(text) {}

  bool done() {
    skip_ows();
    return at_ == text_.size();
  }
  bool take(char c) {
    skip_ows();
    if (at_ == text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  std::optional<std::string> token() {
    skip_ows();
    const std::size_t start = at_;
    while (at_ < text_.size() && http::is_token(text_.substr(at_, 1))) ++at_;
    if (at_ == start) return std::nullopt;
    return std::string(text_.substr(start, at_ - start));
  }
  // RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE, unescaped.
  std::optional<std::string> quoted_string() {
    if (!take('"')) return std::nullopt;
    std::string out;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (at_ == text_.size()) return std::nullopt;
        out += text_[at_++];
      } else {
        out += c;
      }
    }
    return std::nullopt;  // no closing quote
  }
  bool at_quote() {
    skip_ows();
    return at_ < text_.size() && text_[at_] == '"';
  }
  Failure<Error> error(std::string_view expected) const {
    return fail(Error{0, "the Sec-WebSocket-Extensions field has " + std::string(expected) + " at byte " +
                             std::to_string(at_) + " (RFC 6455 §9.1)"});
  }

 private:
  void skip_ows() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
  }
  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

Result<std::vector<Extension>> parse_extensions(std::string_view value) {
  std::vector<Extension> extensions;
  ExtensionReader reader(value);
  while (!reader.done()) {
    if (reader.take(',')) continue;  // RFC 9110 §5.6.1: empty list elements are ignored
    auto name = reader.token();
    if (!name) return reader.error("no extension name (a token)");
    Extension extension{std::move(*name), {}};
    while (reader.take(';')) {
      auto parameter = reader.token();
      if (!parameter) return reader.error("no parameter name (a token) after ';'");
      ExtensionParameter param{std::move(*parameter), std::nullopt};
      if (reader.take('=')) {
        // RFC 6455 §9.1: a quoted value "after quoted-string unescaping MUST conform to the
        // 'token' ABNF".
        param.value = reader.at_quote() ? reader.quoted_string() : reader.token();
        if (!param.value || !http::is_token(*param.value))
          return reader.error("a parameter value that is not a token or a quoted token");
      }
      extension.parameters.push_back(std::move(param));
    }
    if (!reader.done() && !reader.take(',')) return reader.error("something other than ';' or ',' after an extension");
    extensions.push_back(std::move(extension));
  }
  return extensions;
}

}  // namespace duplex::ws
